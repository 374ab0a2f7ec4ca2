"""What ``kdquiz interview`` prints about results: failing tests (grouped by their feedback),
the scorecard and the history of past sessions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kdquiz.cli.context import STATE, load_checked_content, out
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.interview import Run, Session


def _tr(key: str, **values: object) -> str:
    return t(key, STATE.lang, **values)


def show_failing(run: Run) -> None:
    from kdquiz.core.interview_score import group_failures

    for names, message in group_failures(run.failing):
        for name in names:
            out(f"  ✗ {name}")
        if message:
            out(f"      {message}")
    if run.message and not run.failing:
        out(f"  {run.message}")


def show_scorecard(session: Session, card: Any, content: Content) -> None:
    from kdquiz.core.interview import Run, format_clock

    def core_run(failing: list[tuple[str, str]]) -> Run:
        return Run("fail", 0, 0, failing)

    out()
    out(_tr("iv.scorecard.title", id=session.id))
    for part in card.parts:
        out(
            _tr(
                "iv.scorecard.part",
                part=_tr(f"iv.part.{part.part}"),
                items=part.items,
                used=format_clock(part.time_used_s),
                budget=format_clock(part.budget_s),
                verdict=_tr(f"iv.verdict.{part.verdict}"),
            )
        )
        if part.part == "coding":
            out(
                _tr(
                    "iv.scorecard.coding",
                    passed=part.tests_passed,
                    total=part.tests_total,
                    clarifications=part.clarifications,
                    runs=part.runs,
                    hints=part.hints,
                )
            )
        else:
            out(_tr("iv.scorecard.points", covered=part.points_covered, total=part.points_total))
        if part.timed_out:
            out(_tr("iv.scorecard.timed_out", count=part.timed_out))
    if card.misconceptions:
        out(_tr("iv.scorecard.misconceptions"))
        show_failing(core_run(card.misconceptions))
    out(_tr("iv.scorecard.verdict", verdict=_tr(f"iv.verdict.{card.verdict}")))
    out(_tr("iv.scorecard.rules"))
    if card.weak_items:
        out(_tr("iv.scorecard.weak", items=", ".join(card.weak_items)))
    coding = session.coding
    if coding is not None:
        out(_tr("iv.scorecard.statement", exercise=coding.item_id))


def show_history(as_json: bool) -> None:
    import datetime

    from kdquiz.core import interview as core
    from kdquiz.core import interview_score as ivscore

    sessions = core.history()
    content = load_checked_content(allow_problems=True) if sessions else None
    if as_json:
        out(
            json.dumps(
                [ivscore.summary(s, content) for s in sessions], ensure_ascii=False, indent=2
            )
        )
        return
    if not sessions:
        out(_tr("iv.history.none"))
        return
    out(_tr("iv.history.header"))
    for session in sessions:
        data = ivscore.summary(session, content)
        when = datetime.datetime.fromtimestamp(session.started_at).strftime("%Y-%m-%d %H:%M")
        verdict = (
            _tr(f"iv.verdict.{data['verdict']}")
            if data.get("verdict")
            else _tr("iv.history.unfinished")
        )
        out(
            f"{session.id:<24} {when:<17} {session.minutes:>4}′ "
            f"{data['exercise'] or '—':<16} {verdict}"
        )
