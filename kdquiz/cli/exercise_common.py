"""What the exercise commands share (exercise, check, grade, export): finding an exercise,
printing a grading result, grading options, Markdown for the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from kdquiz.cli.context import (
    STATE,
    fail,
    load_checked_content,
    out,
)
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise
    from kdquiz.grading.judge import SubmissionResult


def _exercise(content: Content, exercise_id: str) -> LoadedExercise:
    from kdquiz.core.problems import did_you_mean

    if exercise_id not in content.exercises:
        hint = did_you_mean(exercise_id, content.exercises)
        fail(t("exercise.unknown", STATE.lang, id=exercise_id, hint=hint))
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


def capped(text: str, limit: int) -> tuple[str, int]:
    """The first ``limit`` characters of ``text`` and how many were left out."""
    return text[:limit], max(0, len(text) - limit)


def _markdown(text: str) -> None:
    """Markdown as the terminal shows it (Rich): headings, tables and code blocks rendered, code
    wrapped to the width rather than cut; plain text without colours when piped."""
    import shutil

    from rich.console import Console
    from rich.markdown import Markdown

    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    Console(width=width, highlight=False).print(Markdown(text))


def _print_result(
    result: SubmissionResult, ex: LoadedExercise, out: Callable[[str], None] = out
) -> None:
    from kdquiz.grading.picture import text_lines

    failing = [t for t in result.tests if t.status != "pass"]
    shared = {t.message for t in failing}
    # The same message on every failing test (e.g. the starter's NotImplementedError) is said once.
    say_once = len(failing) > 2 and len(shared) == 1
    pictured = False
    for test in result.tests:
        mark = "✓" if test.status == "pass" else "✗"
        line = f"  {mark} {test.name}"
        if test.message and not (say_once and test.status != "pass"):
            line += f"\n      {test.message}"
        if test.picture is not None and not pictured:  # one picture: the first failing check's
            pictured = True
            line += "".join(f"\n        {row}" for row in text_lines(test.picture, STATE.lang))
        out(line)
    if say_once:
        message = next(iter(shared))
        out("  " + t("check.every_failing", STATE.lang, message=message))
    if result.message and not result.tests:
        out(f"  ✗ {result.message}")
    elif (
        result.message
        and result.status in ("timeout", "error")
        and not any(result.message.strip() in (t.message or "") for t in result.tests)
    ):
        out(f"  {result.message}")  # a timeout's reason is said once, not again per test
    verdict = t(f"tui.ex.{result.status}", STATE.lang)
    out(
        f"{verdict} {result.score}/{result.max_score} · {result.duration_s:.2f}s · "
        + t("check.isolation", STATE.lang, level=result.isolation)
        + (t("check.seed", STATE.lang, seed=result.seed) if result.seed is not None else "")
    )
    if result.output.strip():
        out(t("check.printed", STATE.lang))
        shown, hidden = capped(result.output.strip(), 2000)
        out("    " + shown.replace("\n", "\n    "))
        if hidden:
            out("    " + t("daily.output.capped", STATE.lang, hidden=hidden))


def _options(timeout: float | None, isolation: str, seed: int | None = None):  # type: ignore[no-untyped-def]
    from kdquiz.grading.judge import GradeOptions

    if isolation not in ("auto", "strict", "basic"):
        fail("--isolation must be auto, strict or basic")
    return GradeOptions(lang=STATE.lang, timeout=timeout, isolation=isolation, seed=seed)
