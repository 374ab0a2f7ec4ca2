"""Progress commands: ``review`` (due cards in the plain terminal), ``stats`` and
``progress export|import|reset``."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Annotated

import typer

from kdquiz.cli.context import EXIT_OK, STATE, fail, load_checked_content, open_progress, out

progress_app = typer.Typer(help="Export, import or reset your progress.", no_args_is_help=True)


def _zh() -> bool:
    return STATE.lang == "zh"


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

    content = load_checked_content()
    store = open_progress()
    try:
        due = store.due(known=content.questions.keys() | content.exercises.keys())
        seen = store.seen()
    finally:
        store.close()
    due_questions = [content.questions[i] for i, kind, _ in due if kind == "question"]
    due_exercises = [i for i, kind, _ in due if kind == "exercise"]
    rng = random.Random()
    fresh = [q for q in content.questions.values() if q.id not in seen]
    rng.shuffle(fresh)
    chosen = (due_questions + fresh[:new])[:limit]
    if not chosen and not due_exercises:
        out(
            "今天没有到期的内容。"
            if _zh()
            else "Nothing is due. Come back tomorrow, or run 'kdquiz quiz'."
        )
        raise typer.Exit(EXIT_OK)
    if chosen:
        run_session(chosen, content, rng)
    for exercise_id in due_exercises:
        out(
            f"练习到期：kdquiz check {exercise_id}"
            if _zh()
            else f"Exercise due again: kdquiz check {exercise_id}"
        )


def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Due counts, retention, streak, per-topic mastery and exercise completion."""
    from kdquiz.core.stats import compute

    content = load_checked_content()
    store = open_progress()
    try:
        result = compute(store, content, lang=STATE.lang)
    finally:
        store.close()
    if as_json:
        out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    zh = _zh()
    retention = "—" if result.retention is None else f"{result.retention:.0%}"
    out(
        (
            "今天到期 {due}（现在 {now}） · 新题 {new} · 保持率 {ret} · 连续 {streak} 天 · 练习 {p}/{t}"
            if zh
            else "Due today {due} (now {now}) · new {new} · retention {ret} · streak {streak} day(s) · exercises {p}/{t}"
        ).format(
            due=result.due_today,
            now=result.due_now,
            new=result.new,
            ret=retention,
            streak=result.streak,
            p=result.exercises_passed,
            t=result.exercises_total,
        )
    )
    out()
    for topic in result.topics:
        bar = "█" * round(topic.mastery * 20)
        out(
            f"  {topic.title[:28]:<28} {bar:<20} {topic.mastery:>4.0%}  ({topic.seen}/{topic.questions})"
        )
    weakest = result.weakest()
    if result.answered and weakest:
        names = " ".join(f"-t {t.topic}" for t in weakest)
        out()
        out(
            (
                "练习最薄弱的主题：kdquiz quiz "
                if zh
                else "Practise your weakest topics: kdquiz quiz "
            )
            + names
        )


@progress_app.command("export")
def export(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the JSON.")],
) -> None:
    """Write all your progress to a JSON file (cards and every recorded event)."""
    store = open_progress()
    try:
        data = store.export()
    finally:
        store.close()
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}")
    out(
        f"已导出 {len(data['cards'])} 张卡片、{len(data['events'])} 条记录到 {path}"
        if _zh()
        else f"Exported {len(data['cards'])} cards and {len(data['events'])} events to {path}"
    )


@progress_app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file written by 'progress export'.")
    ],
) -> None:
    """Merge progress from a JSON export (its cards win; events are added once)."""
    from kdquiz.core.progress import ProgressError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except (OSError, ValueError) as exc:
        fail(f"cannot read {path} as JSON: {exc}")
    store = open_progress()
    try:
        cards, events = store.import_(data)
    except ProgressError as exc:
        fail(str(exc))
    finally:
        store.close()
    out(
        f"已导入 {cards} 张卡片、{events} 条新记录"
        if _zh()
        else f"Imported {cards} cards and {events} new events"
    )


@progress_app.command("reset")
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Start afresh (the old database is kept as a backup next to it)."""
    from kdquiz.core.progress import reset_store

    if not yes:
        try:
            confirmed = typer.confirm(
                "清空你的全部进度？" if _zh() else "Reset all your progress?", default=False
            )
        except typer.Abort:
            confirmed = False
        if not confirmed:
            out("未做任何更改。" if _zh() else "Nothing was changed.")
            raise typer.Exit(1)
    backup = reset_store()
    if backup is None:
        out("还没有进度。" if _zh() else "There was no progress yet.")
    else:
        out(
            f"已重置；旧数据保存在 {backup}"
            if _zh()
            else f"Progress reset; the old database is kept at {backup}"
        )


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(stats)
    app.add_typer(progress_app, name="progress")
