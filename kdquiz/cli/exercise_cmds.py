"""Exercise commands: ``exercise list|start``, ``check``, ``hint``, ``solution``, ``grade`` and
``dev check``. Grading imports torch and pytest, so those imports live inside the commands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kdquiz.cli.context import (
    EXIT_FAIL,
    EXIT_OK,
    STATE,
    fail,
    load_checked_content,
    open_progress,
    out,
)
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise
    from kdquiz.grading.judge import SubmissionResult

exercise_app = typer.Typer(help="List and start exercises.", no_args_is_help=True)
dev_app = typer.Typer(help="Tools for content authors.", no_args_is_help=True)


def _zh() -> bool:
    return STATE.lang == "zh"


def _exercise(content: Content, exercise_id: str) -> LoadedExercise:
    from kdquiz.core.problems import did_you_mean

    if exercise_id not in content.exercises:
        hint = did_you_mean(exercise_id, content.exercises)
        fail(("未知练习" if _zh() else "unknown exercise") + f" '{exercise_id}'{hint}")
    return content.exercises[exercise_id]


def load_exercises(exercise_ids: list[str] | None) -> list[LoadedExercise]:
    """The chosen exercises (all when none are named). With explicit ids, problems elsewhere in the
    tree (another author's half-written exercise) do not stop an author; the chosen exercises'
    own problems still do."""
    content = load_checked_content(allow_problems=bool(exercise_ids), questions=False)
    if not exercise_ids:
        return list(content.exercises.values())
    chosen = [_exercise(content, i) for i in exercise_ids]
    own = [
        p
        for p in content.errors
        if any(p.file.startswith((f"exercises/{ex.id}/", f"solutions/{ex.id}/")) for ex in chosen)
    ]
    if own:
        for problem in own:
            typer.echo(str(problem), err=True)
        fail(f"{len(own)} problem(s) in the exercise content; fix them first")
    return chosen


@functools.cache
def _exercises_with_questions() -> frozenset[str]:
    """Exercises some question links to (loaded once: ``check --watch`` asks on every save)."""
    content = load_checked_content(allow_problems=True)
    return frozenset(e for q in content.questions.values() for e in q.related_exercises)


def _state(exercise_id: str):  # type: ignore[no-untyped-def]
    from kdquiz.core import workspace

    store = open_progress()
    try:
        return workspace.exercise_state(store, exercise_id)
    finally:
        store.close()


@exercise_app.command("list")
def exercise_list() -> None:
    """The exercises in suggested order, with your status."""
    from kdquiz.core import workspace

    content = load_checked_content(questions=False)
    header = ("练习", "难度", "状态", "标题") if _zh() else ("exercise", "level", "status", "title")
    out(f"{header[0]:<20} {header[1]:<6} {header[2]:<9} {header[3]}")
    for ex in content.learner_exercises.values():
        state = _state(ex.id)
        if state.passed:
            status = "通过" if _zh() else "passing"
        elif workspace.exercise_file(ex.id).exists():
            status = "进行中" if _zh() else "started"
        else:
            status = "未开始" if _zh() else "new"
        out(
            f"{ex.id:<20} {'★' * ex.meta.difficulty:<6} {status:<9} {ex.meta.title.get(STATE.lang)}"
        )


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
    out(ex.statement(STATE.lang))
    out()
    if created:
        store = open_progress()
        store.log(ex.id, "exercise", "start")
        store.close()
        out(f"已创建你的文件：{path}" if _zh() else f"Your file: {path}")
    else:
        out(
            f"你的文件已存在，未覆盖：{path}（用 --force 重新开始）"
            if _zh()
            else f"Your file already exists and was kept: {path} (use --force to start over)"
        )
    out(
        ("编辑它，然后运行：kdquiz check " if _zh() else "Edit it, then run: kdquiz check ") + ex.id
    )


def _print_result(
    result: SubmissionResult, ex: LoadedExercise, out: Callable[[str], None] = out
) -> None:
    zh = _zh()
    failing = [t for t in result.tests if t.status != "pass"]
    shared = {t.message for t in failing}
    # The same message on every failing test (e.g. the starter's NotImplementedError) is said once.
    say_once = len(failing) > 2 and len(shared) == 1
    for test in result.tests:
        mark = "✓" if test.status == "pass" else "✗"
        line = f"  {mark} {test.name}"
        if test.message and not (say_once and test.status != "pass"):
            line += f"\n      {test.message}"
        out(line)
    if say_once:
        message = next(iter(shared))
        out(f"  {'以上每个失败的测试' if zh else 'Every failing test above'}: {message}")
    if result.message and not result.tests:
        out(f"  ✗ {result.message}")
    elif result.message and result.status in ("timeout", "error"):
        out(f"  {result.message}")
    verdict = {
        "pass": ("通过", "PASS"),
        "fail": ("未通过", "FAIL"),
        "error": ("错误", "ERROR"),
        "timeout": ("超时", "TIMEOUT"),
    }[result.status][0 if zh else 1]
    out(
        f"{verdict} {result.score}/{result.max_score} · {result.duration_s:.2f}s · "
        + ("隔离级别 " if zh else "isolation ")
        + result.isolation
        + (f" · seed {result.seed}" if result.seed is not None else "")
    )
    if result.output.strip():
        out("你的代码输出：" if zh else "Your code printed:")
        out("    " + result.output.strip()[:2000].replace("\n", "\n    "))


def _options(timeout: float | None, isolation: str, seed: int | None = None):  # type: ignore[no-untyped-def]
    from kdquiz.grading.judge import GradeOptions

    if isolation not in ("auto", "strict", "basic"):
        fail("--isolation must be auto, strict or basic")
    return GradeOptions(lang=STATE.lang, timeout=timeout, isolation=isolation, seed=seed)


def _check_once(ex: LoadedExercise, path: Path, zygote, options) -> int:  # type: ignore[no-untyped-def]
    from kdquiz.core import workspace
    from kdquiz.grading.judge import GradingError, grade_submission
    from kdquiz.grading.worker import ZygoteError

    try:
        result = grade_submission(ex, path, zygote, options, shown_path=str(path))
    except (GradingError, ZygoteError) as exc:
        fail(str(exc))
    _print_result(result, ex)

    store = open_progress()
    try:
        hints = workspace.exercise_state(store, ex.id).hints_shown
        store.record_check(ex.id, result.status, result.score, result.max_score, hints)
    finally:
        store.close()
    if result.status == "pass":
        out(
            "全部通过！用 kdquiz solution " + ex.id + " 对照参考答案。"
            if _zh()
            else f"All tests pass! Compare with the reference: kdquiz solution {ex.id}"
        )
        return EXIT_OK
    shown = _state(ex.id).hints_shown
    if shown < len(ex.meta.hints):
        out(f"卡住了？kdquiz hint {ex.id}" if _zh() else f"Stuck? kdquiz hint {ex.id}")
    if ex.id in _exercises_with_questions():
        out(
            f"复习背后的概念：kdquiz quiz --exercise {ex.id}"
            if _zh()
            else f"Review the concepts behind it: kdquiz quiz --exercise {ex.id}"
        )
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
    from kdquiz.core import workspace
    from kdquiz.grading.worker import Zygote

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    path = workspace.exercise_file(ex.id)
    if not path.exists():
        fail(
            f"还没有你的文件：先运行 kdquiz exercise start {ex.id}"
            if _zh()
            else f"no file yet at {path}: run 'kdquiz exercise start {ex.id}' first"
        )
    options = _options(timeout, isolation)
    with Zygote() as zygote:
        code = _check_once(ex, path, zygote, options)
        if not watch:
            raise typer.Exit(code)
        from watchfiles import watch as watch_files

        out(
            "正在监视文件，保存即重新检查（Ctrl-C 退出）"
            if _zh()
            else "Watching; saving the file checks it again (Ctrl-C to stop)"
        )
        try:
            for _changes in watch_files(path, debounce=50, step=20, rust_timeout=0):
                out()
                _check_once(ex, path, zygote, options)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_OK) from None


def hint(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
) -> None:
    """Show the next hint (each hint is stronger than the last); recorded."""

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    shown = _state(ex.id).hints_shown
    hints = ex.meta.hints
    level = min(shown + 1, len(hints))
    for index in range(level):
        out(
            f"{'提示' if _zh() else 'Hint'} {index + 1}/{len(hints)}: {hints[index].get(STATE.lang)}"
        )
    store = open_progress()
    store.log(ex.id, "exercise", "hint", level=level)
    store.close()
    if level == len(hints):
        out("这是最后一条提示。" if _zh() else "That was the last hint.")


def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    give_up: Annotated[
        bool, typer.Option("--give-up", help="Show it before passing (recorded).")
    ] = False,
) -> None:
    """Show the reference solution: after a pass, or with --give-up."""

    content = load_checked_content(questions=False)
    ex = _exercise(content, exercise_id)
    state = _state(ex.id)
    if not state.passed and not give_up:
        fail(
            (
                "先通过检查，或用 --give-up 直接查看（会被记录）"
                if _zh()
                else "pass the check first, or use --give-up to see it now (this is recorded)"
            ),
            code=EXIT_FAIL,
        )
    if give_up and not state.passed:
        from kdquiz.core.progress import AGAIN

        store = open_progress()
        store.review(ex.id, "exercise", AGAIN, event="give-up", outcome="gave-up")
        store.close()
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
    from kdquiz.grading.worker import Zygote

    if format not in exports.FORMATS:
        fail("--format must be one of: " + ", ".join(exports.FORMATS))
    # Started first: it imports torch while this process loads the content and the judge.
    zygote = Zygote() if jobs == 1 else None
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
            fail(f"cannot write {report}: {exc.strerror}")
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
    from kdquiz.grading.worker import Zygote, ZygoteError

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

    zygote = Zygote()
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
    app.command()(check)
    app.command()(hint)
    app.command()(solution)
    app.command()(grade)
    app.add_typer(dev_app, name="dev")
