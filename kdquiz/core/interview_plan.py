"""Planning a mock interview: which questions are asked (open forms first, the level, the
learner's weak topics), which follow-ups dig deeper, which exercise is posed, and each step's
share of the time. With a seed, the same content and options give the same session."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kdquiz.core.interview import (
    DEFAULT_LEVEL,
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MIN_MINUTES,
    InterviewError,
    Session,
    Step,
)
from kdquiz.core.models import Question, QuestionType

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise
    from kdquiz.core.progress import ProgressStore
    from kdquiz.core.quiz import AskedQuestion

SHARES = {"concept": 1 / 3, "follow_up": 1 / 6, "coding": 1 / 2}
"""The share of the session's time each part gets (a part that is absent gives its share to the
concepts)."""


# -- questions in their open form ---------------------------------------------------------------
def is_open(question: Question) -> bool:
    """Whether the question can be asked open (a short question, or one with an ``open`` form);
    the others are asked as multiple choice (or a number) as a fallback."""
    return question.type is QuestionType.short or question.open is not None


@dataclass(frozen=True)
class OpenQuestion:
    """A question as an interviewer asks it: prompt, model answer and key points, in one
    language."""

    prompt: str
    answer: str
    key_points: list[str]


def open_question(
    question: Question, lang: str, params: dict[str, float] | None = None
) -> OpenQuestion | None:
    """The open form of ``question`` in ``lang`` (None if it has none)."""
    if question.type is QuestionType.short:
        prompt, answer = question.prompt.get(lang), question.answer
        points = question.key_points or []
    elif question.open is not None:
        form = question.open
        prompt = (form.prompt or question.prompt).get(lang)
        answer, points = form.answer, form.key_points
    else:
        return None
    if params:
        try:
            prompt = prompt.format(**{k: _fmt(v) for k, v in params.items()})
        except (KeyError, IndexError, ValueError):
            pass
    return OpenQuestion(prompt, answer.get(lang) if answer else "", [p.get(lang) for p in points])


def asked_question(question: Question, params: dict[str, float]) -> AskedQuestion:
    """The question as shown with the numbers drawn when the session was planned."""
    from kdquiz.core import formula
    from kdquiz.core.quiz import AskedQuestion

    expected = question.value
    if question.type is QuestionType.numeric and question.formula and params:
        expected = formula.evaluate(question.formula, params)
    return AskedQuestion(question, dict(params), expected)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- planning ---------------------------------------------------------------------------------
def concept_count(minutes: int) -> int:
    """Three opening questions from 20 minutes on, two in a shorter session."""
    return 3 if minutes >= 20 else 2


def follow_up_count(minutes: int, concepts: int) -> int:
    """About one follow-up per quarter hour, at least one, at most two per opening question."""
    return min(2 * concepts, max(1, round(minutes / 15)))


def _tiebreak(items: list[Any], rng: random.Random) -> dict[str, float]:
    """A seeded random number per item, drawn in content order (so the seed fixes the choice)."""
    return {item.id: rng.random() for item in items}


def choose_concepts(
    questions: list[Question],
    count: int,
    *,
    level: int,
    topic: str = "",
    weakness: dict[str, float] | None = None,
    rng: random.Random,
) -> list[Question]:
    """The opening questions: open ones first, then the difficulty closest to ``level``, then the
    learner's weakest topics, one question per topic while topics last."""
    pool = [q for q in questions if not topic or q.topic == topic]
    noise = _tiebreak(pool, rng)
    weak = weakness or {}
    ranked = sorted(
        pool,
        key=lambda q: (
            not is_open(q),
            abs(q.difficulty - level),
            -weak.get(q.topic or "", 0.0),
            noise[q.id],
        ),
    )
    chosen: list[Question] = []
    topics: set[str] = set()
    for q in ranked:
        if len(chosen) < count and (q.topic or "") not in topics:
            chosen.append(q)
            topics.add(q.topic or "")
    for q in ranked:
        if len(chosen) < count and q not in chosen:
            chosen.append(q)
    return chosen


def choose_follow_ups(
    parent: Question,
    questions: dict[str, Question],
    count: int,
    used: set[str],
    rng: random.Random,
) -> list[Question]:
    """Deeper questions on the same idea: the parent's ``follow_ups`` links first, then questions
    of its topic one level harder (then as hard), open ones first."""
    found = [questions[i] for i in parent.follow_ups if i in questions and i not in used][:count]
    if len(found) < count:
        taken = used | {q.id for q in found} | {parent.id}
        pool = [
            q
            for q in questions.values()
            if q.topic == parent.topic and q.id not in taken and q.difficulty >= parent.difficulty
        ]
        noise = _tiebreak(pool, rng)
        pool.sort(
            key=lambda q: (
                not is_open(q),
                0 if q.difficulty == parent.difficulty + 1 else 1,
                q.difficulty,
                noise[q.id],
            )
        )
        found += pool[: count - len(found)]
    return found


def choose_exercise(
    content: Content,
    *,
    level: int,
    topic: str = "",
    concepts: list[Question],
    rng: random.Random,
) -> LoadedExercise | None:
    """One exercise that has an interview prompt: of the topic if one was asked for (and has one),
    the difficulty closest to ``level``, preferring one the opening questions lead to."""
    candidates = [ex for ex in content.learner_exercises.values() if ex.meta.interview]
    if topic and any(ex.meta.topic == topic for ex in candidates):
        candidates = [ex for ex in candidates if ex.meta.topic == topic]
    if not candidates:
        return None
    linked = {e for q in concepts for e in q.related_exercises} | {q.topic for q in concepts}
    noise = {ex.id: rng.random() for ex in candidates}
    return min(
        candidates,
        key=lambda ex: (
            abs(ex.meta.difficulty - level),
            ex.id not in linked and ex.meta.topic not in linked,
            noise[ex.id],
        ),
    )


def new_session_id() -> str:
    """A readable, unique id: the local start time and a short random suffix."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4]


def plan_session(
    content: Content,
    *,
    minutes: int = DEFAULT_MINUTES,
    level: int = DEFAULT_LEVEL,
    topic: str = "",
    seed: int | None = None,
    weakness: dict[str, float] | None = None,
    lang: str = "en",
) -> Session:
    """Plan a session. With ``seed`` the same content and options give the same questions,
    exercise and numbers (the learner's ``weakness`` by topic is then ignored, so a session can
    be replayed anywhere); without, a seed is drawn and recorded, and weak topics come first."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InterviewError("iv.error.minutes", low=MIN_MINUTES, high=MAX_MINUTES)
    if level not in (1, 2, 3):
        raise InterviewError("iv.error.level")
    if topic and topic not in content.topics:
        from kdquiz.core.problems import did_you_mean

        raise InterviewError(
            "iv.error.topic", topic=topic, hint=did_you_mean(topic, content.topics)
        )
    seeded = seed is not None
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**6)
    rng = random.Random(seed)
    concepts = choose_concepts(
        list(content.questions.values()),
        concept_count(minutes),
        level=level,
        topic=topic,
        weakness=None if seeded else weakness,
        rng=rng,
    )
    if not concepts:
        raise InterviewError("iv.error.no_questions", where=f" ({topic})" if topic else "")
    follow = _follow_ups_for(concepts, content, follow_up_count(minutes, len(concepts)), rng)
    exercise = choose_exercise(content, level=level, topic=topic, concepts=concepts, rng=rng)
    return Session(
        id=new_session_id(),
        started_at=time.time(),
        lang=lang,
        minutes=minutes,
        level=level,
        seed=seed,
        topic=topic,
        seeded=seeded,
        steps=_timed_steps(minutes, concepts, follow, exercise, rng),
    )


def _follow_ups_for(
    concepts: list[Question], content: Content, wanted: int, rng: random.Random
) -> list[list[Question]]:
    """The follow-ups of each opening question, ``wanted`` in all, spread from the first."""
    per_parent = [
        wanted // len(concepts) + (i < wanted % len(concepts)) for i in range(len(concepts))
    ]
    used = {q.id for q in concepts}
    follow: list[list[Question]] = []
    for parent, count in zip(concepts, per_parent, strict=True):
        found = choose_follow_ups(parent, content.questions, count, used, rng)
        used |= {q.id for q in found}
        follow.append(found)
    return follow


def _timed_steps(
    minutes: int,
    concepts: list[Question],
    follow: list[list[Question]],
    exercise: LoadedExercise | None,
    rng: random.Random,
) -> list[Step]:
    """Each opening question followed by its follow-ups, then the coding step; each part's share
    of the time divided equally among its steps (an absent part's share goes to the concepts).
    Numeric templates draw their numbers here, so the seed fixes them."""
    from kdquiz.core import quiz

    total = minutes * 60.0
    follow_total = sum(len(f) for f in follow)
    coding_s = total * SHARES["coding"] if exercise else 0.0
    follow_s = total * SHARES["follow_up"] if follow_total else 0.0
    concept_s = total - coding_s - follow_s
    steps: list[Step] = []
    for parent, found in zip(concepts, follow, strict=True):
        asked = [("concept", parent, concept_s / len(concepts), "")]
        asked += [("follow_up", f, follow_s / follow_total, parent.id) for f in found]
        for kind, question, budget, parent_id in asked:
            params = quiz.ask(question, rng).params
            steps.append(Step(kind, question.id, round(budget, 1), parent_id, params))
    if exercise is not None:
        steps.append(Step("coding", exercise.id, round(coding_s, 1)))
    return steps


def weakness_by_topic(store: ProgressStore, content: Content) -> dict[str, float]:
    """How weak the learner is on each topic, 0 (recalled) to 1 (forgotten): one minus FSRS's
    mean probability of recall of the topic's questions seen; a topic never practised is 0.5."""
    recall = store.retrievability()
    by_topic: dict[str, list[float]] = {}
    for qid, q in content.questions.items():
        if qid in recall:
            by_topic.setdefault(q.topic or "", []).append(recall[qid])
    return {
        topic: (1.0 - sum(by_topic[topic]) / len(by_topic[topic]) if topic in by_topic else 0.5)
        for topic in content.topics
    }
