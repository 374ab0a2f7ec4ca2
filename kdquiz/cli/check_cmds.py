"""``kdquiz check``: grade the learner's file, once or on every save, and record the attempt.

A check is an attempt, recorded with :meth:`ProgressStore.record_check` (which decides whether it
is the exercise's review of the day); a check interrupted by Ctrl-C, or one the grader could not
run, records nothing. ``--watch`` watches the file's folder (:mod:`kdquiz.core.watching`), so saves
by rename are seen, and never shows a result for content that changed during the check.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kdquiz.cli import context
from kdquiz.cli.context import (
    EXIT_FAIL,
    EXIT_OK,
    STATE,
    close_store,
    fail,
    load_checked_content,
    open_progress,
    out,
)
from kdquiz.cli.exercise_common import (
    _exercise,
    _options,
    _print_result,
)
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise
    from kdquiz.grading.judge import SubmissionResult


@functools.cache
def _exercises_with_questions(root: Path, extends: bool) -> frozenset[str]:
    """Exercises some question links to, read from the question files' ``related_exercises``
    alone (loading and validating the whole bank to print one line would cost a second; once per
    command: ``check --watch`` asks on every save). Unreadable files are skipped: a hint only."""
    import yaml

    from kdquiz.core import locations
    from kdquiz.core.content import question_files

    roots = [root, *([locations.bundled_content_root()] if extends else [])]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    linked: set[str] = set()
    for path in {p for r in roots for p in question_files(r)}:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        for question in data.get("questions", []) if isinstance(data, dict) else []:
            if isinstance(question, dict) and isinstance(question.get("related_exercises"), list):
                linked.update(str(e) for e in question["related_exercises"])
    return frozenset(linked)


class _Interrupted(Exception):
    """Ctrl-C reached the process while a check ran: the check records nothing."""


def _grade_uninterrupted(ex: LoadedExercise, path: Path, zygote, options) -> SubmissionResult:  # type: ignore[no-untyped-def]
    """Grade, saying on a terminal that the check runs (and for how long). A Ctrl-C during the
    check raises :class:`_Interrupted`, even when the grader turned it into a result."""
    import signal
    import sys
    import threading
    import time

    from kdquiz.grading.judge import grade_submission

    interrupted = threading.Event()
    done = threading.Event()

    def on_sigint(signum: int, frame: object) -> None:
        interrupted.set()
        raise KeyboardInterrupt

    def ticker() -> None:
        started = time.monotonic()
        while not done.wait(5.0):
            elapsed = time.monotonic() - started
            typer.echo(t("daily.check.still_running", STATE.lang, seconds=elapsed), err=True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    if sys.stderr.isatty():
        typer.echo(t("daily.check.running", STATE.lang, id=ex.id), err=True)
        threading.Thread(target=ticker, daemon=True).start()
    try:
        result = grade_submission(ex, path, zygote, options, shown_path=str(path))
    except KeyboardInterrupt:
        raise _Interrupted from None
    finally:
        done.set()
        signal.signal(signal.SIGINT, previous)
    if interrupted.is_set():
        raise _Interrupted
    return result


def _check_once(
    content: Content, ex: LoadedExercise, path: Path, zygote, options, store, seen: bool
) -> int:  # type: ignore[no-untyped-def]
    """Grade the file's current content and record the attempt (never a result for content that
    changed during the check: that is checked again). ``seen`` is False for checks on save."""
    from kdquiz.core import watching, workspace
    from kdquiz.core.progress import ProgressError
    from kdquiz.grading.judge import GradingError
    from kdquiz.grading.worker import ZygoteError

    for _attempt in range(5):
        try:
            result = _grade_uninterrupted(ex, path, zygote, options)
        except (GradingError, ZygoteError) as exc:
            fail(str(exc))  # the grader could not run: nothing is recorded
        if result.sha256 == watching.digest(path):
            break
        out(t("daily.check.stale", STATE.lang))
    _print_result(result, ex)
    # a failure the learner asked to see counts against the day's pass; the untouched starter's
    # does not (it fails by design)
    seen = seen and not workspace.is_untouched_starter(path, ex.starter_path)
    try:
        store.record_check(
            ex.id, result.status, result.score, result.max_score, seen=seen,
            isolation=result.isolation,
        )  # fmt: skip
        state = workspace.exercise_state(store, ex.id)
    except ProgressError as exc:
        typer.echo(exc.message(STATE.lang), err=True)
        state = workspace.ExerciseState()
    if result.status == "pass":
        out(t("check.all_pass", STATE.lang, id=ex.id))
        if state.last_check_rating is not None:  # this check was the day's review
            rating = t(f"daily.rating.{state.last_check_rating}", STATE.lang)
            out(t("daily.check.review", STATE.lang, id=ex.id, rating=rating))
        return EXIT_OK
    if state.hints_shown < len(ex.meta.hints):
        out(t("check.stuck", STATE.lang, id=ex.id))
    if ex.id in _exercises_with_questions(content.root, content.extends):
        out(t("check.review_concepts", STATE.lang, id=ex.id))
    return EXIT_FAIL


def check(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Check again every time the file is saved.")
    ] = False,
    timeout: Annotated[
        float | None, typer.Option(help="Seconds allowed (default: the exercise's).")
    ] = None,
    isolation: Annotated[str, typer.Option(help="auto, strict or basic.")] = "auto",
) -> None:
    """Grade your workspace file for an exercise with its hidden tests."""
    from kdquiz.core import watching, workspace

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    path = workspace.exercise_file(ex.id)
    if not path.exists():
        fail(t("check.no_file", STATE.lang, id=ex.id, path=path))
    options = _options(timeout, isolation)
    store = open_progress()
    code = EXIT_OK
    try:
        with context.warm_worker() as zygote:
            checked = watching.digest(path)  # what the first check grades (or a later save)
            code = _check_once(content, ex, path, zygote, options, store, seen=True)
            if watch:
                out(t("check.watching", STATE.lang))
                try:
                    for _digest in watching.saves(path, since=checked):
                        out()
                        _check_once(content, ex, path, zygote, options, store, seen=False)
                except KeyboardInterrupt:
                    code = EXIT_OK
    except (_Interrupted, KeyboardInterrupt):
        out()
        out(t("daily.check.interrupted", STATE.lang))
        code = 130
    finally:
        close_store(store)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(check)
