"""Asking questions and judging answers, without any UI.

A :class:`AskedQuestion` is one showing of a question: for numeric templates it holds the freshly
drawn parameters, the prompt with those numbers filled in, and the answer computed for them.
``judge_*`` functions turn a learner's raw answer into a :class:`Verdict`. The CLI and the TUI both
call these.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass, field

from kdquiz.core import formula
from kdquiz.core.models import Question, QuestionType

LETTERS = string.ascii_lowercase


@dataclass(frozen=True)
class AskedQuestion:
    """One showing of a question, with template parameters drawn."""

    question: Question
    params: dict[str, float] = field(default_factory=dict)
    expected: float | None = None

    @property
    def id(self) -> str:
        return self.question.id

    def prompt(self, lang: str) -> str:
        text = self.question.prompt.get(lang)
        if self.params:
            shown = {k: _fmt(v) for k, v in self.params.items()}
            return text.format(**shown)
        return text

    def correct_letters(self) -> str:
        choices = self.question.choices or []
        return "".join(LETTERS[i] for i, c in enumerate(choices) if c.correct)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer. ``correct`` is None for self-rated (short) answers."""

    correct: bool | None
    rating: int | None = None  # 1 again, 2 hard, 3 good, 4 easy (self-rating)
    answer_text: str = ""
    picks: tuple[int, ...] = ()
    """The options picked (choice questions), so feedback can name a right one that was missed."""


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def draw_params(question: Question, rng: random.Random) -> dict[str, float]:
    """Fresh values for a template's parameters."""
    drawn: dict[str, float] = {}
    for name, param in (question.params or {}).items():
        if param.values is not None:
            drawn[name] = float(rng.choice(param.values))
        else:
            assert param.range is not None
            low, high = param.range
            value = rng.uniform(low, high)
            if param.step:
                value = low + round((value - low) / param.step) * param.step
                value = round(min(max(value, low), high), 10)
            drawn[name] = value
    return drawn


def ask(question: Question, rng: random.Random) -> AskedQuestion:
    """Prepare one showing of ``question`` (drawing template parameters)."""
    if question.type is QuestionType.numeric:
        if question.formula and question.params:
            params = draw_params(question, rng)
            return AskedQuestion(question, params, formula.evaluate(question.formula, params))
        return AskedQuestion(question, {}, question.value)
    return AskedQuestion(question)


def parse_letters(raw: str, count: int) -> set[int] | None:
    """Indices from an answer such as 'b', 'A C', 'a,c' or '2' (1-based numbers); None if invalid."""
    cleaned = raw.strip().lower().replace(",", " ")
    if not cleaned:
        return None
    picks: set[int] = set()
    tokens = (
        cleaned.split() if " " in cleaned else list(cleaned) if cleaned.isalpha() else [cleaned]
    )
    for token in tokens:
        if token.isdigit():
            index = int(token) - 1
        elif len(token) == 1 and token in LETTERS:
            index = LETTERS.index(token)
        else:
            return None
        if not 0 <= index < count:
            return None
        picks.add(index)
    return picks


def judge_choice(asked: AskedQuestion, picks: set[int]) -> Verdict:
    """Single, code and multiple choice: right only when exactly the correct set is picked."""
    choices = asked.question.choices or []
    correct = {i for i, c in enumerate(choices) if c.correct}
    return Verdict(
        picks == correct,
        answer_text="".join(LETTERS[i] for i in sorted(picks)),
        picks=tuple(sorted(picks)),
    )


def parse_number(raw: str) -> float | None:
    """A finite number from the learner's answer ('0.25', '25%', '1e-3', ' 3,5 '); None if it is
    not a number, or not a finite one ('nan', 'inf', '1e999' are refused, not graded)."""
    text = raw.strip().replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value / 100 if percent else value


def number_problem(raw: str) -> str:
    """The message key saying why ``raw`` was refused as a numeric answer."""
    try:
        float(raw.strip().rstrip("%").replace(",", "."))
    except ValueError:
        return "daily.quiz.not_number"
    return "daily.quiz.not_finite"


def judge_numeric(asked: AskedQuestion, value: float) -> Verdict:
    """Right when within the question's absolute tolerance of the (computed) answer."""
    assert asked.expected is not None
    tolerance = asked.question.tolerance or 0.0
    ok = abs(value - asked.expected) <= tolerance + 1e-12 * max(1.0, abs(asked.expected))
    return Verdict(ok, answer_text=_fmt(value))


def judge_self_rating(rating: int, answer_text: str = "") -> Verdict:
    """Short answers are compared by the learner, who rates themselves 1-4."""
    return Verdict(None, rating=rating, answer_text=answer_text)


RATING_LETTERS = {"a": 1, "h": 2, "g": 3, "e": 4}
"""The self-rating keys the app and the plain terminal both accept (besides the digits 1-4)."""


def parse_rating(raw: str) -> int | None:
    """1-4, the letters a/h/g/e, or the words again/hard/good/easy (and 重来/困难/良好/简单)."""
    words = {
        **RATING_LETTERS,
        "again": 1,
        "hard": 2,
        "good": 3,
        "easy": 4,
        "重来": 1,
        "困难": 2,
        "良好": 3,
        "简单": 4,
    }
    text = raw.strip().lower()
    if text in words:
        return words[text]
    if text.isdigit() and 1 <= int(text) <= 4:
        return int(text)
    return None


def expected_text(asked: AskedQuestion, lang: str) -> str:
    """The right answer as shown after answering."""
    q = asked.question
    if q.type is QuestionType.numeric and asked.expected is not None:
        unit = f" {q.unit.get(lang)}" if q.unit else ""
        return f"{asked.expected:.6g}{unit} (± {q.tolerance:g})"
    if q.choices:
        return asked.correct_letters()
    return q.answer.get(lang) if q.answer else ""


def select_questions(
    questions: list[Question],
    *,
    topics: list[str] | None = None,
    difficulties: list[int] | None = None,
    types: list[str] | None = None,
    tags: list[str] | None = None,
    exercises: list[str] | None = None,
    count: int | None = None,
    rng: random.Random | None = None,
    shuffle: bool = True,
) -> list[Question]:
    """Questions matching every filter given, shuffled, at most ``count``."""
    picked = [
        q
        for q in questions
        if (not topics or (q.topic or "") in topics)
        and (not difficulties or q.difficulty in difficulties)
        and (not types or q.type.value in types)
        and (not tags or set(tags) & set(q.tags))
        and (not exercises or set(exercises) & set(q.related_exercises))
    ]
    if shuffle:
        (rng or random.Random()).shuffle(picked)
    return picked[:count] if count else picked
