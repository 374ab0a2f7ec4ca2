"""A quiz session, without any UI: which questions a review asks, what an answer's outcome is, how
the session's tally is kept and how each answer reaches the progress store.

The CLI (``kdquiz quiz``/``review``) and the app's quiz screen both drive a :class:`QuizSession`:
the face shows the question and reads the answer, the session judges nothing itself (that is
:mod:`kdquiz.core.quiz`) but turns the verdict into an outcome, keeps the tally, applies the
counting rule "a question's review is its first answer in the session" and saves the answer.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kdquiz.core import quiz

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.models import Question
    from kdquiz.core.progress import ProgressStore

ANSWER_PATIENCE = 2.0
"""Seconds an answer waits for a busy database before the quiz goes on (the answer is kept and
saved by the next answer, or at the end)."""
END_PATIENCE = 60.0
"""Seconds the end of a session waits for a busy database to save the answers kept."""


@dataclass
class ReviewPlan:
    """What a review session asks: the due questions (earliest first), then new ones."""

    questions: list[Question]
    exercises_due: list[str]
    due_questions: int
    """How many of ``questions`` were due (the rest are new)."""


def plan_review(
    store: ProgressStore,
    content: Content,
    *,
    limit: int,
    new: int | None = None,
    rng: random.Random | None = None,
    now: datetime | None = None,
) -> ReviewPlan:
    """Due questions first (at most ``limit``), then up to ``new`` unseen ones (default: fill up
    to ``limit``), shuffled; the exercises due are listed apart (they are practised, not asked)."""
    rng = rng or random.Random()
    due = store.due(now, known=content.questions.keys() | content.exercises.keys())
    seen = store.seen()
    due_questions = [content.questions[i] for i, kind, _ in due if kind == "question"][:limit]
    room = limit - len(due_questions)
    fresh = [q for q in content.questions.values() if q.id not in seen]
    rng.shuffle(fresh)
    wanted = room if new is None else min(new, room)
    return ReviewPlan(
        due_questions + fresh[: max(0, wanted)],
        [i for i, kind, _ in due if kind == "exercise"],
        len(due_questions),
    )


@dataclass
class Tally:
    """Right answers out of the graded ones, and the self-rated ones, in one session."""

    right: int = 0
    graded: int = 0
    self_rated: int = 0


def outcome_of(verdict: quiz.Verdict) -> str:
    """'right', 'wrong' or 'self-rated': what the store records for a verdict."""
    if verdict.correct is None:
        return "self-rated"
    return "right" if verdict.correct else "wrong"


def missed_options(asked: quiz.AskedQuestion, verdict: quiz.Verdict) -> list[int]:
    """Indices of the right options a wrong multiple-choice answer did not pick (feedback names
    them); empty for other kinds and for right answers."""
    from kdquiz.core.models import QuestionType

    if verdict.correct is not False or asked.question.type is not QuestionType.multiple:
        return []
    choices = asked.question.choices or []
    picked = set(verdict.picks)
    return [i for i, c in enumerate(choices) if c.correct and i not in picked]


@dataclass
class QuizSession:
    """One sitting: the questions, the tally, and the answers saved as they come.

    ``store`` may be None (nothing is recorded, e.g. when the database cannot be opened: the
    face has said why). Answers the store could not save at once (a busy database) stay in
    ``store.unsaved``; :meth:`finish` waits for them and returns how many could not be saved.
    """

    questions: list[Question]
    store: ProgressStore | None = None
    rng: random.Random = field(default_factory=random.Random)
    tally: Tally = field(default_factory=Tally)
    answered: set[str] = field(default_factory=set)
    index: int = 0

    @property
    def done(self) -> bool:
        return self.index >= len(self.questions)

    def ask(self) -> quiz.AskedQuestion:
        """The current question, freshly shown (template numbers drawn)."""
        return quiz.ask(self.questions[self.index], self.rng)

    def advance(self) -> None:
        self.index += 1

    def count(self, verdict: quiz.Verdict, question_id: str) -> bool:
        """Count one answer in the tally; True if it is the first answer to that question in this
        session (its review), False for a re-try (not counted again, not a review)."""
        first = question_id not in self.answered
        self.answered.add(question_id)
        if first:
            if verdict.correct is None:
                self.tally.self_rated += 1
            else:
                self.tally.graded += 1
                self.tally.right += int(verdict.correct)
        return first

    @staticmethod
    def save(
        store: ProgressStore,
        asked: quiz.AskedQuestion,
        verdict: quiz.Verdict,
        first: bool,
        patience: float | None = None,
    ) -> bool:
        """Record one counted answer (a review if ``first``); True if saved now."""
        return store.record_answer(
            asked.id,
            outcome_of(verdict),
            self_rating=verdict.rating,
            answer=verdict.answer_text,
            params=asked.params,
            first=first,
            patience=patience,
        )

    def answer(
        self, asked: quiz.AskedQuestion, verdict: quiz.Verdict, patience: float | None = None
    ) -> bool:
        """Count and save one answer (:meth:`count`, then :meth:`save` to ``self.store``).
        Returns whether it is saved now (False: kept for later, or no store). Store errors other
        than busy propagate (the answer stays kept)."""
        first = self.count(verdict, asked.id)
        if self.store is None:
            return False
        wait = ANSWER_PATIENCE if patience is None else patience
        return self.save(self.store, asked, verdict, first, wait)

    def finish(self, patience: float | None = None) -> int:
        """Wait (up to ``patience`` seconds) for answers kept while the database was busy;
        returns how many are still unsaved."""
        if self.store is None:
            return 0
        self.store.flush(END_PATIENCE if patience is None else patience)
        return self.store.unsaved


def practise_weakest(
    content: Content, topics: Iterable[str], size: int, rng: random.Random | None = None
) -> list[Question]:
    """A custom set from the given (weakest) topics."""
    return quiz.select_questions(
        list(content.questions.values()), topics=list(topics), count=size, rng=rng
    )
