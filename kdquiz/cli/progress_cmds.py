"""Progress commands: ``review`` (due cards in the plain terminal), ``stats`` and
``progress export|import|reset``."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Annotated

import typer

from kdquiz.cli.context import (
    EXIT_OK,
    STATE,
    fail,
    load_checked_content,
    open_progress,
    out,
    store_failed,
)
from kdquiz.core.i18n import t
from kdquiz.core.progress import ProgressError

progress_app = typer.Typer(
    help="Your progress (the same as 'stats'), or export, import or reset it.",
    invoke_without_command=True,
)


@progress_app.callback()
def progress(ctx: typer.Context) -> None:
    """Your progress (the same as 'stats'), or export, import or reset it."""
    if ctx.invoked_subcommand is None:
        stats()


def review(
    new: Annotated[
        int, typer.Option("--new", min=0, help="New questions to add after the due ones.")
    ] = 5,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many questions.")
    ] = 20,
) -> None:
    """A session of the questions due today (spaced repetition), then a few new ones."""
    from kdquiz.cli.quiz_cmds import run_session
    from kdquiz.core.session import plan_review

    content = load_checked_content()
    rng = random.Random()
    store = open_progress()
    try:
        plan = plan_review(store, content, limit=limit, new=new, rng=rng)
    except ProgressError as exc:
        store_failed(exc)
    finally:
        store.close()
    if not plan.questions and not plan.exercises_due:
        out(t("daily.review.nothing_due", STATE.lang))
        raise typer.Exit(EXIT_OK)
    if plan.questions:
        run_session(plan.questions, content, rng)
    for exercise_id in plan.exercises_due:
        out(t("daily.review.exercise_due", STATE.lang, id=exercise_id))


def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Due counts, retention, streak, per-topic mastery and exercise completion."""
    from kdquiz.core import stats as stats_mod
    from kdquiz.core.stats import compute, days_text, retention_text

    lang = STATE.lang
    content = load_checked_content()
    store = open_progress()
    try:
        result = compute(store, content, lang=lang)
    except ProgressError as exc:
        store_failed(exc)
    finally:
        store.close()
    if as_json:
        out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    out(
        t(
            "daily.stats.line",
            lang,
            due=result.due_today,
            now=result.due_now,
            new=result.new,
            retention=retention_text(result, lang),
            streak=days_text(result.streak, lang),
            passed=result.exercises_passed,
            total=result.exercises_total,
        )
    )
    if not result.answered:
        out(t("daily.stats.nothing_yet", lang))
    out()
    from kdquiz.core.textwidth import pad

    for topic in result.topics:
        bar = "█" * round(topic.mastery * 20)
        out(
            f"  {pad(topic.title, 30)}{bar:<20} {topic.mastery:>4.0%}  ({topic.seen}/{topic.questions})"
        )
    out()
    out(stats_mod.forecast_text(result.forecast, lang))
    out()
    out(t("daily.mastery.definition", lang))
    out(t("daily.retention.definition", lang))
    weakest = result.weakest()
    if result.answered and weakest:
        options = " ".join(f"-t {w.topic}" for w in weakest)
        out()
        out(t("daily.stats.weakest", lang, options=options))


@progress_app.command("export")
def export(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the JSON.")],
) -> None:
    """Write all your progress to a JSON file (cards and every recorded event)."""
    store = open_progress()
    try:
        data = store.export()
    except ProgressError as exc:
        store_failed(exc)
    finally:
        store.close()
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        fail(t("daily.export.cannot_write", STATE.lang, path=path, reason=exc.strerror))
    out(
        t(
            "daily.export.done",
            STATE.lang,
            cards=len(data["cards"]),
            events=len(data["events"]),
            path=path,
        )
    )


@progress_app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file written by 'progress export'.")
    ],
) -> None:
    """Merge progress from a JSON export (its cards win; events are added once)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(t("daily.import.no_file", STATE.lang, path=path))
    except (OSError, ValueError) as exc:
        fail(t("daily.import.not_json", STATE.lang, path=path, reason=exc))
    store = open_progress()
    try:
        cards, events = store.import_(data)
    except ProgressError as exc:
        store_failed(exc)
    finally:
        store.close()
    out(t("daily.import.done", STATE.lang, cards=cards, events=events))


@progress_app.command("reset")
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Start afresh (the old database is kept as a backup next to it)."""
    from kdquiz.core.progress import reset_store

    if not yes:
        try:
            confirmed = typer.confirm(t("daily.reset.ask", STATE.lang), default=False)
        except typer.Abort:
            confirmed = False
        if not confirmed:
            out(t("daily.reset.kept", STATE.lang))
            raise typer.Exit(1)
    backup = reset_store()
    if backup is None:
        out(t("daily.reset.none", STATE.lang))
    else:
        out(t("daily.reset.done", STATE.lang, path=backup))


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(stats)
    app.add_typer(progress_app, name="progress")
