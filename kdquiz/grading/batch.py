"""Grading many submissions: in this process, or in N judge processes for ``--jobs N``.

Every submission runs in its own fresh sandbox, so one submission's crash, hang or memory blow-up
never disturbs the others. Results come back in the order the submissions were given.

With ``--jobs N`` the N judge processes are forked from multiprocessing's fork server, a fresh
interpreter that imports torch, pytest and the judge once and never sees any content (each judge
then loads its own suite and reference), and they share this process's warm zygote through their
own control channels (:meth:`WarmWorker.share`): torch is imported twice in all, not twice per job.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdquiz.core.content import LoadedExercise
from kdquiz.grading.judge import GradeOptions, SubmissionResult, grade_submission
from kdquiz.grading.plugin import TestResult, fresh_seed

if TYPE_CHECKING:
    from kdquiz.grading.worker import WarmWorker

_WORKER: dict[str, Any] = {}
JUDGE_PRELOAD = ["torch", "pytest", "kdquiz.grading.judge", "kdquiz.grading.plugin"]


def _init_worker(exercise: LoadedExercise, channels: Any) -> None:
    import socket

    from kdquiz.grading.worker import WarmWorker

    handed = channels.get(timeout=120)
    if handed is None:  # the parent could not share its warm worker and reports why
        os._exit(3)  # quietly: an exception here would print a traceback on the terminal
    from multiprocessing.util import Finalize

    from kdquiz.grading import cgroups

    # A pool worker ends with os._exit, which skips atexit: remove its last sandbox's group here.
    Finalize(None, cgroups.reap, args=(5.0,), exitpriority=10)
    fd = handed.detach()
    _WORKER["zygote"] = WarmWorker.attach(socket.socket(fileno=fd))
    _WORKER["exercise"] = exercise  # sent by the parent judge: no content to load here


def _judge_context() -> Any:
    """Fork-server judges where the platform has them (Linux, macOS), spawned ones elsewhere;
    never a fork of this process, which holds the content."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(JUDGE_PRELOAD)
    return context


def _grade_in_worker(path: str, shown: str, options: GradeOptions) -> dict[str, Any]:
    result = grade_submission(
        _WORKER["exercise"], Path(path), _WORKER["zygote"], options, shown_path=shown
    )
    return _to_wire(result)


def _to_wire(result: SubmissionResult) -> dict[str, Any]:
    return {**result.__dict__, "tests": [t.__dict__ for t in result.tests]}


def _from_wire(data: dict[str, Any]) -> SubmissionResult:
    return SubmissionResult(**{**data, "tests": [TestResult(**t) for t in data["tests"]]})


def grade_many(
    exercise: LoadedExercise,
    paths: list[Path],
    options: GradeOptions,
    jobs: int = 1,
    zygote: WarmWorker | None = None,
    on_done: Callable[[SubmissionResult], None] | None = None,
    shown: list[str] | None = None,
) -> list[SubmissionResult]:
    """Grade every path (``shown`` names them in the results; default: the paths);
    ``on_done`` is called as each finishes (for a progress bar).

    Cohort seeding: without ``options.seed`` one fresh seed is drawn for the whole run, so every
    submission of a run sees the same inputs (a fair comparison) while the next run draws new
    ones; each result records it, and ``options.seed`` replays it."""
    from kdquiz.grading.worker import WarmWorker

    names = shown or [str(p) for p in paths]
    if options.seed is None:
        options = dataclasses.replace(options, seed=fresh_seed())
    own = zygote is None
    worker = zygote or WarmWorker()
    try:
        if jobs <= 1 or len(paths) <= 1:
            results = _grade_here(exercise, paths, names, options, worker, on_done)
        else:
            judges = min(jobs, len(paths))
            results = _grade_in_judges(exercise, paths, names, options, judges, worker, on_done)
    finally:
        if own:
            worker.close()
    return results


def _grade_here(
    exercise: LoadedExercise,
    paths: list[Path],
    names: list[str],
    options: GradeOptions,
    worker: WarmWorker,
    on_done: Callable[[SubmissionResult], None] | None,
) -> list[SubmissionResult]:
    """One after the other, in this process."""
    results = []
    for path, name in zip(paths, names, strict=True):
        result = grade_submission(exercise, path, worker, options, shown_path=name)
        results.append(result)
        if on_done:
            on_done(result)
    return results


def _grade_in_judges(
    exercise: LoadedExercise,
    paths: list[Path],
    names: list[str],
    options: GradeOptions,
    judges: int,
    worker: WarmWorker,
    on_done: Callable[[SubmissionResult], None] | None,
) -> list[SubmissionResult]:
    """In ``judges`` fork-server judge processes sharing ``worker``; results in input order."""
    from multiprocessing.reduction import DupFd

    context = _judge_context()
    channels = context.Queue()
    ordered: list[SubmissionResult | None] = [None] * len(paths)
    try:
        with ProcessPoolExecutor(
            max_workers=judges,
            mp_context=context,
            initializer=_init_worker,
            initargs=(exercise, channels),
        ) as pool:
            # Submitting starts the fork server and the judges (they import torch and pytest
            # while the warm worker does); each judge then waits for its channel in the
            # initializer.
            futures = {
                pool.submit(_grade_in_worker, str(p), name, options): i
                for i, (p, name) in enumerate(zip(paths, names, strict=True))
            }
            try:
                for _ in range(judges):
                    channel = worker.share()
                    channels.put(DupFd(channel.fileno()))  # duplicated now, handed over on request
                    channel.close()
            except BaseException:
                for _ in range(judges):
                    channels.put(None)
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            for future in as_completed(futures):
                result = _from_wire(future.result())
                ordered[futures[future]] = result
                if on_done:
                    on_done(result)
    finally:
        channels.close()
    return [r for r in ordered if r is not None]


def find_submissions(
    exercise_id: str, items: list[Path], lang: str = "en"
) -> tuple[list[tuple[Path, str]], list[str]]:
    """The files to grade, each with the name its result shows, and notes for the instructor.

    A folder holds either submissions (``*.py``) or one folder per student: then each student's
    ``ID.py``, or else the only ``.py`` file in their folder, is graded under the student
    folder's name, and a note says which file was taken (or why a student was skipped).
    Raises FileNotFoundError for an item that does not exist."""
    from kdquiz.core.i18n import t

    found: list[tuple[Path, str]] = []
    notes: list[str] = []
    for item in items:
        if not item.exists():
            raise FileNotFoundError(2, "no such file", str(item))
        if not item.is_dir():
            found.append((item, str(item)))
            continue
        files = sorted(p for p in item.glob("*.py") if p.is_file())
        found.extend((p, str(p)) for p in files)
        students = [] if files else sorted(p for p in item.iterdir() if p.is_dir())
        for student in students:
            if student.name.startswith((".", "_")):
                continue
            named = student / f"{exercise_id}.py"
            candidates = sorted(p for p in student.rglob("*.py") if p.is_file())
            if named.is_file() or len(candidates) == 1:
                chosen = named if named.is_file() else candidates[0]
                notes.append(t("grade.student_took", lang, folder=student.name, file=chosen))
                found.append((chosen, str(student)))
            else:
                notes.append(
                    t(
                        "grade.student_no_file",
                        lang,
                        folder=student.name,
                        name=f"{exercise_id}.py",
                        count=len(candidates),
                    )
                )
    return found, notes
