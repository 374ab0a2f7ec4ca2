"""Scoring a mock interview: key points covered, the coding result, the verdicts of explicit
rules (docs/interview.md states them for learners), and the answers fed to the review queue."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kdquiz.core.interview import Run, Session, Step
from kdquiz.core.interview_plan import is_open
from kdquiz.core.models import Question, QuestionType

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.progress import ProgressStore

STRONG, ON_TRACK, NEEDS_WORK = "strong", "on_track", "needs_work"
VERDICTS = (STRONG, ON_TRACK, NEEDS_WORK)

STRONG_COVERAGE = 0.75
"""A concept part is strong when at least this share of its key points was covered."""
ON_TRACK_COVERAGE = 0.5
"""A concept part is on track when at least this share of its key points was covered."""
ON_TRACK_TESTS = 0.75
"""Coding is on track when at least this share of the hidden tests passes."""


def coverage(step: Step, question: Question) -> tuple[int, int]:
    """(points covered, points possible) of one answered concept step: the key points ticked of
    an open answer, or 1 of 1 for a right fallback answer (0 of 1 for a wrong one)."""
    if is_open(question):
        total = (
            len(question.key_points or [])
            if question.type is QuestionType.short
            else (len(question.open.key_points) if question.open else 0)
        )
        return len({i for i in step.ticked if 0 <= i < total}), total
    return (1 if step.correct else 0), 1


def review_rating(step: Step, question: Question) -> int:
    """The FSRS rating an answered concept step gives its question: a share of key points covered
    below 1/2 is Again, below 3/4 Hard, else Good (a wrong fallback answer is Again)."""
    from kdquiz.core.progress import AGAIN, GOOD, HARD

    covered, total = coverage(step, question)
    share = covered / total if total else 0.0
    if share < ON_TRACK_COVERAGE:
        return AGAIN
    return HARD if share < STRONG_COVERAGE else GOOD


def record_step(store: ProgressStore, session: Session, index: int, content: Content) -> None:
    """Put an answered step into the review queue, once: a concept step as its question's answer
    (weak answers come back soon), the coding step as one check of its exercise."""
    with _RECORDING:  # the app records from worker threads: each step exactly once
        _record_step(store, session, index, content)


_RECORDING = threading.Lock()


def _record_step(store: ProgressStore, session: Session, index: int, content: Content) -> None:
    step = session.steps[index]
    if step.recorded or not step.done:
        return
    if step.kind == "coding":
        result = step.result or Run("fail", 0, 0)
        if step.hints:  # before the check: a pass after hints is rated Hard
            store.record_hint(step.item_id, step.hints)
        store.record_check(
            step.item_id, result.status, result.score, result.max_score, source="interview"
        )
        if result.status != "pass":  # a failing check is an attempt, not a review: queue it
            store.push_due(step.item_id, "exercise", reason="interview")
    else:
        question = content.questions[step.item_id]
        if is_open(question):
            store.record_answer(
                question.id,
                "self-rated",
                self_rating=review_rating(step, question),
                answer=step.answer,
                params=step.params,
            )
        else:
            store.record_answer(
                question.id,
                "right" if step.correct else "wrong",
                answer=step.answer,
                params=step.params,
            )
    step.recorded = True


# -- the scorecard -------------------------------------------------------------------------------
@dataclass
class PartCard:
    """One part of the scorecard."""

    part: str
    """'concept', 'follow_up' or 'coding'."""
    items: int
    time_used_s: float
    budget_s: float
    points_covered: int = 0
    points_total: int = 0
    clarifications: int = 0
    runs: int = 0
    tests_passed: int = 0
    tests_total: int = 0
    hints: int = 0
    timed_out: int = 0
    verdict: str = NEEDS_WORK


@dataclass
class Scorecard:
    """What happened, part by part, and the verdicts the documented rules give."""

    parts: list[PartCard]
    misconceptions: list[tuple[str, str]]
    """(test name, feedback) of every hidden test the final file failed."""
    verdict: str
    weak_items: list[str]
    """Ids of the questions (and the exercise) that go back into the review queue soon."""


def part_verdict(covered: int, total: int) -> str:
    """Concepts and follow-ups: strong from 3/4 of the key points covered, on track from 1/2,
    needs work below."""
    share = covered / total if total else 0.0
    if share >= STRONG_COVERAGE:
        return STRONG
    return ON_TRACK if share >= ON_TRACK_COVERAGE else NEEDS_WORK


def coding_verdict(result: Run | None, hints: int) -> str:
    """Coding: strong when every hidden test passes without a hint; on track when every test
    passes after hints, or at least 3/4 of them pass; needs work otherwise (nothing graded, an
    error or a timeout included)."""
    if result is None or result.max_score == 0:
        return NEEDS_WORK
    if result.score == result.max_score:
        return STRONG if hints == 0 else ON_TRACK
    return ON_TRACK if result.score / result.max_score >= ON_TRACK_TESTS else NEEDS_WORK


def overall_verdict(parts: list[PartCard]) -> str:
    """Strong when every part is strong; needs work when coding needs work, or when every
    concept part (opening questions and follow-ups) does; on track otherwise."""
    verdicts = {p.part: p.verdict for p in parts}
    if all(v == STRONG for v in verdicts.values()):
        return STRONG
    concept_parts = [v for k, v in verdicts.items() if k != "coding"]
    if verdicts.get("coding") == NEEDS_WORK or (
        concept_parts and all(v == NEEDS_WORK for v in concept_parts)
    ):
        return NEEDS_WORK
    return ON_TRACK


def scorecard(session: Session, content: Content) -> Scorecard:
    """The scorecard of a session (of the steps done so far, if it is not finished)."""
    parts: list[PartCard] = []
    weak: list[str] = []
    for kind in ("concept", "follow_up", "coding"):
        steps = [s for s in session.steps if s.kind == kind]
        if not steps:
            continue
        card = PartCard(
            kind,
            len(steps),
            round(sum(s.elapsed_s for s in steps), 1),
            round(sum(s.budget_s for s in steps), 1),
            timed_out=sum(s.timed_out for s in steps),
        )
        if kind == "coding":
            step = steps[0]
            card.clarifications = len(step.clarifications)
            card.runs = len(step.runs)
            card.hints = step.hints
            if step.result is not None:
                card.tests_passed, card.tests_total = step.result.score, step.result.max_score
            card.verdict = coding_verdict(step.result, step.hints)
            if step.done and card.verdict == NEEDS_WORK:
                weak.append(step.item_id)
        else:
            for step in steps:
                question = content.questions.get(step.item_id)
                if question is None:
                    continue
                covered, total = coverage(step, question)
                card.points_covered += covered
                card.points_total += total
                if step.done and review_rating(step, question) == 1:
                    weak.append(step.item_id)
            card.verdict = part_verdict(card.points_covered, card.points_total)
        parts.append(card)
    coding = session.coding
    misconceptions = list(coding.result.failing) if coding and coding.result else []
    return Scorecard(parts, misconceptions, overall_verdict(parts), weak)


def group_failures(failing: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """Failing tests grouped by their feedback, in order of first appearance: the starter's
    NotImplementedError on every test is said once, under the tests' names."""
    groups: dict[str, list[str]] = {}
    for name, message in failing:
        groups.setdefault(message, []).append(name)
    return [(names, message) for message, names in groups.items()]


def summary(session: Session, content: Content | None) -> dict[str, Any]:
    """A session as plain data (``kdquiz interview --history --json``)."""
    data: dict[str, Any] = {
        "id": session.id,
        "started_at": session.started_at,
        "status": session.status,
        "minutes": session.minutes,
        "level": session.level,
        "topic": session.topic or None,
        "seed": session.seed,
        "questions": [s.item_id for s in session.steps if s.kind != "coding"],
        "exercise": session.coding.item_id if session.coding else None,
    }
    if content is not None:
        card = scorecard(session, content)
        data["verdict"] = card.verdict if session.status == "finished" else None
        data["parts"] = [asdict(p) for p in card.parts]
        data["weak_items"] = card.weak_items
    return data
