"""A mock interview, without a UI: what is asked, how long each part may take, how it is scored,
and how the session is saved as it goes.

A session (:class:`Session`) is planned once (:func:`plan_session`) as a list of steps: two or
three concept questions, each followed by deeper follow-ups, then one exercise posed only as its
interviewer's prompt. Every step has a time budget; a step may run until the sum of the budgets up
to it is used up, so time saved early is available later (:meth:`Session.time_left`). Comparing an
answer with the model answer (ticking key points) is not interview time and is not counted.

The verdicts come from the explicit rules of :func:`part_verdict`, :func:`coding_verdict` and
:func:`overall_verdict` (docs/interview.md states them for learners). The session is a JSON file
in the data directory, rewritten atomically after every change, so a crash or Ctrl-C leaves a
session that ``kdquiz interview --resume`` (or the app) continues. Nothing here imports a UI or
torch; the CLI and the app both drive these functions.
"""

from __future__ import annotations

import ast
import json
import os
import random
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kdquiz.core.models import Question, QuestionType

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise
    from kdquiz.core.progress import ProgressStore
    from kdquiz.core.quiz import AskedQuestion

SESSION_FORMAT = 1
MIN_MINUTES, MAX_MINUTES = 5, 180
DEFAULT_MINUTES, DEFAULT_LEVEL = 30, 2

SHARES = {"concept": 1 / 3, "follow_up": 1 / 6, "coding": 1 / 2}
"""The share of the session's time each part gets (a part that is absent gives its share to the
concepts)."""

STRONG, ON_TRACK, NEEDS_WORK = "strong", "on_track", "needs_work"
VERDICTS = (STRONG, ON_TRACK, NEEDS_WORK)

STRONG_COVERAGE = 0.75
"""A concept part is strong when at least this share of its key points was covered."""
ON_TRACK_COVERAGE = 0.5
"""A concept part is on track when at least this share of its key points was covered."""
ON_TRACK_TESTS = 0.75
"""Coding is on track when at least this share of the hidden tests passes."""


class InterviewError(Exception):
    """A session cannot be planned or loaded: ``key`` and ``values`` say why, in words of the
    message catalogue (``str()`` is the English)."""

    def __init__(self, key: str, **values: object) -> None:
        from kdquiz.core.i18n import t

        super().__init__(t(key, "en", **values))
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        from kdquiz.core.i18n import t

        return t(self.key, lang, **self.values)


# -- the clock ----------------------------------------------------------------------------------
class Clock(Protocol):
    """Seconds from an arbitrary origin (monotonic): all a session needs to know about time."""

    def now(self) -> float: ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to (tests, and ``KDQUIZ_FAKE_CLOCK`` in the CLI)."""

    def __init__(self, start: float = 0.0) -> None:
        self.moment = start

    def now(self) -> float:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += seconds


# -- the session ------------------------------------------------------------------------------
@dataclass
class Run:
    """One grading of the candidate's file (a run during coding, or the final grading)."""

    status: str
    score: int
    max_score: int
    failing: list[tuple[str, str]] = field(default_factory=list)
    """(test name, feedback message) of every test that did not pass."""
    message: str = ""


@dataclass
class Step:
    """One thing the interviewer asks: a concept question, a follow-up, or the coding task."""

    kind: str
    """'concept', 'follow_up' or 'coding'."""
    item_id: str
    """The question's or the exercise's id."""
    budget_s: float
    """The time this step is planned to take."""
    parent: str = ""
    """For a follow-up: the question it digs into."""
    params: dict[str, float] = field(default_factory=dict)
    """Numbers drawn for a numeric template."""
    answer: str = ""
    """What the candidate typed (kept even when time ran out)."""
    ticked: list[int] = field(default_factory=list)
    """Open answers: the key points (0-based) the candidate says they covered."""
    correct: bool | None = None
    """Multiple-choice or numeric fallback: whether the answer was right."""
    elapsed_s: float = 0.0
    """Interview time spent on this step so far."""
    timed_out: bool = False
    """Whether time ran out before the candidate finished."""
    done: bool = False
    """Whether the step is over (answered and compared, or graded)."""
    recorded: bool = False
    """Whether the step went into the review queue."""
    file: str = ""
    """Coding: the candidate's file."""
    clarifications: list[int] = field(default_factory=list)
    """Coding: the clarifications asked (indices into the exercise's list), in order."""
    runs: list[Run] = field(default_factory=list)
    """Coding: the checks run during the step."""
    hints: int = 0
    """Coding: hints shown."""
    result: Run | None = None
    """Coding: the final grading of the last saved file."""


@dataclass
class Session:
    """A whole interview, as saved after every change."""

    id: str
    started_at: float
    """Wall-clock time (epoch seconds) the session began."""
    lang: str
    minutes: int
    level: int
    seed: int
    topic: str = ""
    seeded: bool = False
    """Whether the seed was given (then the learner's weak topics were not consulted)."""
    steps: list[Step] = field(default_factory=list)
    status: str = "running"
    """'running' until the scorecard is made, then 'finished'."""
    finished_at: float | None = None
    format: int = SESSION_FORMAT

    # -- timing --------------------------------------------------------------------------------
    def allowance_end(self, index: int) -> float:
        """Seconds of interview time by which step ``index`` must be over."""
        return sum(step.budget_s for step in self.steps[: index + 1])

    def used_before(self, index: int) -> float:
        return sum(step.elapsed_s for step in self.steps[:index])

    def time_left(self, index: int, elapsed: float | None = None) -> float:
        """Seconds left for step ``index`` after ``elapsed`` seconds on it (default: as saved)."""
        spent = self.steps[index].elapsed_s if elapsed is None else elapsed
        return self.allowance_end(index) - self.used_before(index) - spent

    def allowance(self, index: int) -> float:
        """All the time step ``index`` may take (its budget plus time saved before it)."""
        return self.allowance_end(index) - self.used_before(index)

    @property
    def current(self) -> int | None:
        """The first step not over, or None when every step is."""
        return next((i for i, step in enumerate(self.steps) if not step.done), None)

    @property
    def coding(self) -> Step | None:
        return next((s for s in self.steps if s.kind == "coding"), None)

    def position(self, index: int) -> tuple[int, int]:
        """(1-based number, count) of step ``index`` among the steps of its kind."""
        kind = self.steps[index].kind
        same = [i for i, s in enumerate(self.steps) if s.kind == kind]
        return same.index(index) + 1, len(same)


def format_clock(seconds: float) -> str:
    """'12:05' (minutes:seconds), '0:00' once time is up."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


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


# -- answering ----------------------------------------------------------------------------------
def finish_answer(session: Session, index: int, answer: str, elapsed: float) -> bool:
    """Keep the candidate's answer and the time spent on it; time beyond the step's allowance is
    not counted (the interviewer moves on then, keeping what was said). True if time ran out."""
    step = session.steps[index]
    allowance = session.allowance(index)
    step.answer = answer
    step.timed_out = elapsed >= allowance
    step.elapsed_s = round(min(elapsed, allowance), 2)
    return step.timed_out


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
        store.record_check(step.item_id, result.status, result.score, result.max_score, step.hints)
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


def finish(session: Session) -> None:
    session.status = "finished"
    session.finished_at = time.time()


# -- the candidate's file -----------------------------------------------------------------------
def interview_file_text(exercise: LoadedExercise, lang: str, header: list[str]) -> str:
    """The file the candidate starts from: the starter's imports and helpers, and each function
    to implement reduced to its signature, the first paragraph of its docstring and ``raise
    NotImplementedError`` (the starter's step-by-step comments and argument lists would be the
    checklist an interview does not give). ``header`` lines open the file as comments."""
    from kdquiz.core import starters

    source = starters.render(exercise.starter_path.read_text(encoding="utf-8"), lang)
    lines = source.splitlines()
    tree = ast.parse(source)
    wanted = {fn.name for fn in exercise.meta.functions}
    out = [f"# {line}".rstrip() for line in header] + [""]
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the module docstring tells the starter's story: the header replaces it
    previous_end = 0
    for node in body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if (
            out
            and out[-1] != ""
            and (first - previous_end > 1 or isinstance(node, ast.FunctionDef))
        ):
            out.extend([""] * (2 if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else 1))
        if isinstance(node, ast.FunctionDef) and node.name in wanted:
            out.extend(_skeleton(node, lines, first))
        else:
            out.extend(lines[first - 1 : node.end_lineno])
        previous_end = node.end_lineno or node.lineno
    return "\n".join(out).rstrip() + "\n"


def _skeleton(node: ast.FunctionDef, lines: list[str], first: int) -> list[str]:
    doc = ast.get_docstring(node)
    body_start = node.body[0].lineno
    signature = lines[first - 1 : body_start - 1]
    indent = " " * (node.body[0].col_offset)
    out = list(signature)
    if doc:
        summary = doc.split("\n\n")[0].strip().rstrip(":")
        if summary and not summary.endswith((".", "。")):
            summary += "。" if any("\u4e00" <= ch <= "\u9fff" for ch in summary) else "."
        summary_lines = summary.splitlines()
        if len(summary_lines) == 1:
            out.append(f'{indent}"""{summary_lines[0]}"""')
        else:
            out.append(f'{indent}"""{summary_lines[0]}')
            out.extend(f"{indent}{line}".rstrip() for line in summary_lines[1:])
            out.append(f'{indent}"""')
    out.append(f"{indent}raise NotImplementedError")
    return out


def prepare_coding_file(session: Session, index: int, content: Content) -> Path:
    """The candidate's file for the coding step, written once (a resumed session keeps it) in
    ``interview/<session id>/`` of the workspace, never over their practice file."""
    from kdquiz.core import workspace
    from kdquiz.core.i18n import t

    step = session.steps[index]
    if step.file:
        return Path(step.file)
    exercise = content.exercises[step.item_id]
    meta, lang = exercise.meta, session.lang
    assert meta.interview is not None
    header = [t("iv.file.title", lang, exercise=meta.title.get(lang)), ""]
    header += wrap_display(meta.interview.prompt.get(lang), 86)
    header += ["", t("iv.file.how", lang)]
    path = workspace.workspace_dir() / "interview" / session.id / f"{exercise.id}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(interview_file_text(exercise, lang, header), encoding="utf-8")
    step.file = str(path)
    save(session)
    return path


def wrap_display(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns: Chinese counts two columns a character and
    breaks between characters, other text breaks at spaces."""
    import unicodedata

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for char in paragraph:
            size = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
            if used + size > width and line:
                cut = line.rfind(" ")
                if size == 1 and cut > 0 and not line[-1].isspace():
                    lines.append(line[:cut].rstrip())
                    line = line[cut + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                used = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)
            if line or not char.isspace():
                line += char
                used += size
        lines.append(line.rstrip())
    return lines


def run_from_result(result: Any) -> Run:
    """A grading result (:class:`kdquiz.grading.judge.SubmissionResult`) as the session keeps it."""
    failing = [(test.name, test.message) for test in result.tests if test.status != "pass"]
    return Run(str(result.status), result.score, result.max_score, failing, result.message)


# -- saving -------------------------------------------------------------------------------------
def sessions_dir() -> Path:
    """Where sessions are saved: ``interviews/`` in the data directory."""
    from kdquiz.core import locations

    return locations.data_dir() / "interviews"


def session_path(session_id: str) -> Path:
    return sessions_dir() / f"{session_id}.json"


def save(session: Session) -> Path:
    """Write the session atomically (a crash leaves the previous version, never half a file)."""
    path = session_path(session.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(asdict(session), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _run_from(data: dict[str, Any] | None) -> Run | None:
    if data is None:
        return None
    return Run(
        data["status"],
        int(data["score"]),
        int(data["max_score"]),
        [(str(n), str(m)) for n, m in data.get("failing", [])],
        data.get("message", ""),
    )


def _step_from(data: dict[str, Any]) -> Step:
    known = {f.name for f in fields(Step)}
    values = {k: v for k, v in data.items() if k in known}
    values["runs"] = [_run_from(r) for r in data.get("runs", [])]
    values["result"] = _run_from(data.get("result"))
    return Step(**values)


def load(path: Path) -> Session:
    """A saved session; :class:`InterviewError` if the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format", 0) > SESSION_FORMAT:
            raise ValueError("written by a newer kdquiz")
        known = {f.name for f in fields(Session)}
        values = {k: v for k, v in data.items() if k in known}
        values["steps"] = [_step_from(s) for s in data.get("steps", [])]
        return Session(**values)
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InterviewError("iv.error.unreadable", path=path, reason=exc) from None


def history() -> list[Session]:
    """Every saved session, newest first (unreadable files are skipped)."""
    folder = sessions_dir()
    if not folder.is_dir():
        return []
    sessions = []
    for path in folder.glob("*.json"):
        try:
            sessions.append(load(path))
        except InterviewError:
            continue
    return sorted(sessions, key=lambda s: (s.started_at, s.id), reverse=True)


def resumable() -> Session | None:
    """The newest session that is not finished, if any."""
    return next((s for s in history() if s.status != "finished"), None)


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
