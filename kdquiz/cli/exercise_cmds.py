"""Exercise commands: ``exercise list|start``, ``check``, ``hint``, ``solution``, ``grade`` and
``dev check``. Grading imports torch and pytest, so those imports live inside the commands."""

from __future__ import annotations

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
    _markdown,
    _options,
    load_exercises,
)
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    pass

exercise_app = typer.Typer(help="List and start exercises.", no_args_is_help=True)
dev_app = typer.Typer(help="Tools for content authors.", no_args_is_help=True)


@exercise_app.command("list")
def exercise_list() -> None:
    """The exercises in suggested order, with your status."""
    from kdquiz.core import workspace
    from kdquiz.core.textwidth import pad

    content = load_checked_content(questions=False)
    lang = STATE.lang
    widths = (max(20, *(len(i) + 1 for i in content.learner_exercises)), 6, 10)
    header = [t(f"exercise.list.{column}", lang) for column in ("id", "level", "status", "title")]
    out(
        "".join(pad(text, width) for text, width in zip(header[:3], widths, strict=True))
        + header[3]
    )
    store = open_progress()
    try:
        states = {ex: workspace.exercise_state(store, ex) for ex in content.learner_exercises}
    finally:
        store.close()
    for ex in content.learner_exercises.values():
        state = states[ex.id]
        if state.passed:
            status = t("tui.ex.status.passing", lang)
        elif workspace.exercise_file(ex.id).exists():
            status = t("tui.ex.status.started", lang)
        else:
            status = t("tui.ex.status.new", lang)
        cells = (ex.id, "★" * ex.meta.difficulty, status)
        row = "".join(pad(text, width) for text, width in zip(cells, widths, strict=True))
        out(row + ex.meta.title.get(lang))


@exercise_app.command("start")
def exercise_start(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace your file with the starter (a backup is kept).")
    ] = False,
) -> None:
    """Copy the starter into your workspace and show the statement."""
    from kdquiz.core import workspace

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    path, created = workspace.start(ex.id, ex.starter_path, STATE.lang, overwrite=force)
    _markdown(ex.statement(STATE.lang))
    out()
    if created:
        store = open_progress()
        store.log(ex.id, "exercise", "start")
        close_store(store)
        out(t("exercise.your_file", STATE.lang, path=path))
    else:
        out(t("exercise.kept", STATE.lang, path=path))
    out(t("exercise.then_check", STATE.lang, id=ex.id))


def hint(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
) -> None:
    """Show the next hint (each hint is stronger than the last); recorded."""

    from kdquiz.core import workspace

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    store = open_progress()
    try:
        shown = workspace.exercise_state(store, ex.id).hints_shown
        hints = ex.meta.hints
        level = min(shown + 1, len(hints))
        for index in range(level):
            label = t("daily.hint.label", STATE.lang, level=index + 1, total=len(hints))
            _markdown(f"**{label}** {hints[index].get(STATE.lang)}")
        store.record_hint(ex.id, level)
    finally:
        close_store(store)
    if level == len(hints):
        out(t("exercise.last_hint", STATE.lang))


def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    give_up: Annotated[
        bool, typer.Option("--give-up", help="Show it before passing (recorded).")
    ] = False,
) -> None:
    """Show the reference solution: after a pass, or with --give-up."""

    from kdquiz.core import workspace

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    store = open_progress()
    state = workspace.exercise_state(store, ex.id)
    if not state.passed and not give_up:
        store.close()
        fail(t("exercise.solution_locked", STATE.lang), code=EXIT_FAIL)
    if give_up and not state.passed:
        store.record_give_up(ex.id)
    close_store(store)
    out(ex.reference_path.read_text(encoding="utf-8"))


def grade(
    exercise_id: Annotated[str, typer.Argument(metavar="EXERCISE", help="The exercise id.")],
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Submissions, or folders of them.")
    ],
    format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, csv, junit or gradescope.")
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the results here instead of stdout."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write a self-contained HTML cohort report."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Grade this many submissions at once.")
    ] = 1,
    test_visibility: Annotated[
        str,
        typer.Option(
            help="Gradescope test visibility: visible, hidden, after_due_date, after_published."
        ),
    ] = "visible",
    timeout: Annotated[float | None, typer.Option(help="Seconds allowed per submission.")] = None,
    isolation: Annotated[
        str, typer.Option(help="auto, strict (fail rather than grade weakly) or basic.")
    ] = "auto",
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            min=0,
            help="Replay a grade: the run seed recorded in its result (default: a fresh one, "
            "the same for every submission of this run).",
        ),
    ] = None,
) -> None:
    """Grade submissions (files, folders of them, or folders of one folder per student).
    Exit 0 if all pass, 1 if any does not, 2 if grading cannot run."""
    from kdquiz.grading import exports

    if format not in exports.FORMATS:
        fail("--format must be one of: " + ", ".join(exports.FORMATS))
    # Started first: it imports torch while this process loads the content and the judge.
    zygote = context.warm_worker() if jobs == 1 else None
    try:
        content = load_checked_content(questions=False)
        ex = _exercise(content, exercise_id)
        from kdquiz.grading.batch import find_submissions, grade_many

        try:
            chosen, notes = find_submissions(ex.id, files, STATE.lang)
        except FileNotFoundError as exc:
            fail(t("grade.no_such_file", STATE.lang, path=exc.filename))
        for note in notes:
            typer.echo(note, err=True)  # stdout may be the results
        if not chosen:
            fail(t("grade.nothing", STATE.lang))
        paths = [path for path, _ in chosen]
        from kdquiz.grading.judge import GradingError, run_metadata
        from kdquiz.grading.worker import ZygoteError

        options = _options(timeout, isolation, seed)
        try:
            with _progress(len(paths)) as advance:
                results = grade_many(
                    ex,
                    paths,
                    options,
                    jobs=jobs,
                    zygote=zygote,
                    on_done=advance,
                    shown=[name for _, name in chosen],
                )
        except (GradingError, ZygoteError) as exc:
            fail(str(exc))
    finally:
        if zygote is not None:
            zygote.close()
    meta = run_metadata(ex)
    from kdquiz.cli.export_cmds import write_results

    write_results(ex, results, meta, format, output, test_visibility)
    if report is not None:
        try:
            report.write_text(exports.cohort_report(results, meta), encoding="utf-8")
        except OSError as exc:
            fail(t("export.cannot_write", STATE.lang, path=report, reason=exc.strerror or exc))
    raise typer.Exit(EXIT_OK if all(r.status == "pass" for r in results) else EXIT_FAIL)


def _progress(total: int):  # type: ignore[no-untyped-def]
    """A progress bar on stderr when it is a terminal (nothing in pipes and CI logs)."""
    import contextlib
    import sys

    @contextlib.contextmanager
    def bar():  # type: ignore[no-untyped-def]
        if total < 2 or not sys.stderr.isatty():
            yield lambda _result: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("grading", total=total)
            yield lambda _result: progress.advance(task)

    return bar()


@dev_app.command("check")
def dev_check(
    exercise_ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID...]", help="Exercises (default: all).")
    ] = None,
    isolation: Annotated[str, typer.Option(help="auto, strict or basic.")] = "auto",
) -> None:
    """Prove the course: references and alternatives pass, starters and mutants fail."""
    from kdquiz.grading import course_check
    from kdquiz.grading.judge import GradingError
    from kdquiz.grading.worker import ZygoteError

    shown: set[str] = set()

    def report(proof: course_check.ProofResult) -> None:
        case, result = proof.case, proof.result
        if case.exercise_id not in shown:
            shown.add(case.exercise_id)
            out(f"{case.exercise_id}:")
        want = "pass" if case.must_pass else "fail"
        mark = "ok " if proof.ok else "BAD"
        out(
            f"  {mark} {case.label}: {result.status} {result.score}/{result.max_score} (must {want})"
        )
        if not proof.ok and case.must_pass:
            for test in result.tests:
                if test.status != "pass":
                    out(f"        {test.name}: {test.message}")
            if result.message:
                out(f"        {result.message}")

    zygote = context.warm_worker()
    try:
        chosen = load_exercises(exercise_ids)
        try:
            proofs = course_check.prove(chosen, zygote, _options(None, isolation), report)
        except (GradingError, ZygoteError) as exc:
            fail(str(exc))
    finally:
        zygote.close()
    problems = sum(not proof.ok for proof in proofs)
    if problems:
        out(f"{problems} problem(s)")
        raise typer.Exit(EXIT_FAIL)
    out("course proven: every reference and alternative passes, every starter and mutant fails")


def register(app: typer.Typer) -> None:
    app.add_typer(exercise_app, name="exercise")
    app.command()(hint)
    app.command()(solution)
    app.command()(grade)
    app.add_typer(dev_app, name="dev")
