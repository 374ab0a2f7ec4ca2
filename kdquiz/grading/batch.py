"""Grading many submissions: in this process, or in N judge processes for ``--jobs N``.

Each judge process has its own warm zygote, and every submission still runs in its own fresh
sandbox, so one submission's crash, hang or memory blow-up never disturbs the others. Results come
back in the order the submissions were given.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from kdquiz.core.content import LoadedExercise
from kdquiz.grading.judge import GradeOptions, SubmissionResult, grade_submission
from kdquiz.grading.plugin import TestResult

_WORKER: dict[str, Any] = {}


def _init_worker(exercise: LoadedExercise) -> None:
    from kdquiz.grading.worker import Zygote

    _WORKER["zygote"] = Zygote()
    _WORKER["exercise"] = exercise  # sent by the parent judge: no content to load here


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
    zygote: Any = None,
    on_done: Callable[[SubmissionResult], None] | None = None,
) -> list[SubmissionResult]:
    """Grade every path; ``on_done`` is called as each finishes (for a progress bar)."""
    if jobs <= 1 or len(paths) <= 1:
        from kdquiz.grading.worker import Zygote

        own = zygote is None
        zygote = zygote or Zygote()
        results = []
        try:
            for path in paths:
                result = grade_submission(exercise, path, zygote, options, shown_path=str(path))
                results.append(result)
                if on_done:
                    on_done(result)
        finally:
            if own:
                zygote.close()
        return results
    context = multiprocessing.get_context("spawn")  # a fresh judge, never a fork of this process
    ordered: list[SubmissionResult | None] = [None] * len(paths)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(paths)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(exercise,),
    ) as pool:
        futures = {
            pool.submit(_grade_in_worker, str(p), str(p), options): i for i, p in enumerate(paths)
        }
        for future in as_completed(futures):
            result = _from_wire(future.result())
            ordered[futures[future]] = result
            if on_done:
                on_done(result)
    return [r for r in ordered if r is not None]
