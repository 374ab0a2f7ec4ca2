"""``kdquiz interview``: a timed mock interview in the plain terminal (answers may come on stdin,
so a whole session is scriptable), and ``--history`` of past sessions.

The session itself (what is asked, the time plan, the scoring and the saving) is
:mod:`kdquiz.core.interview`; this module only asks and prints. The time left is shown at every
prompt; a plain terminal cannot interrupt a half-typed line, so an answer that comes after time
ran out is kept and the step is marked "time's up". ``KDQUIZ_FAKE_CLOCK=S`` makes every answer
take S seconds of a fake clock (for tests and demonstrations).
"""

from __future__ import annotations

import json
import os
import textwrap
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kdquiz.cli import context
from kdquiz.cli.context import (
    EXIT_FAIL,
    STATE,
    close_store,
    fail,
    load_checked_content,
    open_progress,
    out,
    stdin_is_tty,
)
from kdquiz.cli.interview_report import show_failing, show_history, show_scorecard
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.interview import Clock, Run, Session


class _EndOfInput(Exception):
    pass


class _Terminal:
    """Reading answers against the session's clock."""

    def __init__(self, clock: Clock, fake_step: float) -> None:
        self.clock = clock
        self.fake_step = fake_step

    def read(self, prompt: str) -> str:
        try:
            raw = input(prompt)
        except EOFError:
            raise _EndOfInput from None
        if not stdin_is_tty():
            out(raw)  # echo piped answers so a transcript reads like a session
        if self.fake_step:
            self.clock.advance(self.fake_step)  # type: ignore[attr-defined]
        return raw


def _tr(key: str, **values: object) -> str:
    return t(key, STATE.lang, **values)


def _wrap(text: str, indent: str = "") -> str:
    """Paragraphs wrapped to the terminal (at most 100 columns), Chinese by display width."""
    import shutil

    from kdquiz.core.interview_file import wrap_display

    width = min(100, shutil.get_terminal_size((100, 24)).columns - 1) - len(indent)
    return "\n".join(indent + line if line else "" for line in wrap_display(text.strip(), width))


def _make_clock() -> tuple[Clock, float]:
    from kdquiz.core.interview import FakeClock, SystemClock

    raw = os.environ.get("KDQUIZ_FAKE_CLOCK", "")
    if raw:
        try:
            return FakeClock(), float(raw)
        except ValueError:
            fail("KDQUIZ_FAKE_CLOCK must be a number of seconds")
    return SystemClock(), 0.0


def interview(
    minutes: Annotated[
        int, typer.Option("--minutes", "-m", min=5, max=180, help="Length of the session.")
    ] = 30,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Only this topic (questions and exercise).")
    ] = None,
    level: Annotated[int, typer.Option("--level", "-l", min=1, max=3, help="Difficulty, 1-3.")] = 2,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Fix the questions, exercise and numbers (replayable)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the last unfinished session.")
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="List past sessions instead of starting one.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the history or the scorecard as JSON.")
    ] = False,
) -> None:
    """A timed mock interview: concept questions, follow-ups, one exercise, a scorecard."""
    from kdquiz.core import interview as core
    from kdquiz.core import interview_plan as ivplan
    from kdquiz.core import interview_score as ivscore

    if history:
        show_history(as_json)
        return
    content = load_checked_content()
    if resume:
        session = core.resumable()
        if session is None:
            fail(_tr("iv.cli.nothing_to_resume"), code=EXIT_FAIL)
        session.lang = STATE.lang
    else:
        weakness: dict[str, float] = {}
        if seed is None:
            store = open_progress()
            try:
                weakness = ivplan.weakness_by_topic(store, content)
            finally:
                close_store(store)
        try:
            session = ivplan.plan_session(
                content,
                minutes=minutes,
                level=level,
                topic=topic or "",
                seed=seed,
                weakness=weakness,
                lang=STATE.lang,
            )
        except core.InterviewError as exc:
            fail(exc.message(STATE.lang))
    core.save(session)
    clock, step = _make_clock()
    terminal = _Terminal(clock, step)
    _intro(session, content, resumed=resume)
    try:
        _run(session, content, terminal)
    except (_EndOfInput, KeyboardInterrupt):
        core.save(session)
        out()
        out(_tr("iv.cli.saved", id=session.id))
        raise typer.Exit(EXIT_FAIL) from None
    core.finish(session)
    core.save(session)
    card = ivscore.scorecard(session, content)
    if as_json:
        out(json.dumps(ivscore.summary(session, content), ensure_ascii=False, indent=2))
    else:
        show_scorecard(session, card, content)


# -- the session --------------------------------------------------------------------------------
def _intro(session: Session, content: Content, resumed: bool) -> None:
    from kdquiz.core.interview import format_clock

    concepts = [s for s in session.steps if s.kind == "concept"]
    follow = [s for s in session.steps if s.kind == "follow_up"]
    coding = session.coding
    out(
        _tr(
            "iv.cli.resumed" if resumed else "iv.cli.start",
            minutes=session.minutes,
            level=session.level,
            seed=session.seed,
            id=session.id,
        )
    )
    out(
        _tr(
            "iv.plan",
            concepts=len(concepts),
            concept_time=format_clock(sum(s.budget_s for s in concepts)),
            follow_ups=len(follow),
            follow_time=format_clock(sum(s.budget_s for s in follow)),
        )
    )
    if coding is not None:
        out(
            _tr(
                "iv.plan.coding",
                exercise=content.exercises[coding.item_id].meta.title.get(STATE.lang),
                time=format_clock(coding.budget_s),
            )
        )
    else:
        out(_tr("iv.plan.no_coding"))
    out(_tr("iv.cli.how"))


def _run(session: Session, content: Content, terminal: _Terminal) -> None:
    from kdquiz.core import interview as core

    while (index := session.current) is not None:
        step = session.steps[index]
        if step.kind == "coding":
            _coding(session, index, content, terminal)
        else:
            _concept(session, index, content, terminal)
        _record(session, index, content)
        core.save(session)


def _record(session: Session, index: int, content: Content) -> None:
    from kdquiz.core import interview_score as ivscore

    store = open_progress()
    try:
        ivscore.record_step(store, session, index, content)
    finally:
        close_store(store)


def _header(session: Session, index: int, elapsed: float = 0.0) -> str:
    from kdquiz.core.interview import format_clock

    number, count = session.position(index)
    kind = session.steps[index].kind
    return _tr(
        "iv.cli.header",
        part=_tr(f"iv.part.{kind}"),
        number=number,
        count=count,
        left=format_clock(session.time_left(index, elapsed)),
    )


def _concept(session: Session, index: int, content: Content, terminal: _Terminal) -> None:
    """Ask one concept step: open if the question has an open form, else as a fallback."""
    from kdquiz.core import interview_plan as ivplan

    step = session.steps[index]
    question = content.questions[step.item_id]
    opened = ivplan.open_question(question, STATE.lang, step.params)
    asked = ivplan.asked_question(question, step.params)
    out()
    out(_header(session, index))
    if step.kind == "follow_up":
        out(_tr("iv.follow_up_intro"))
    out(_wrap(opened.prompt if opened else asked.prompt(STATE.lang)))
    if question.code:
        out()
        out(textwrap.indent(question.code.rstrip(), "    "))
    if opened is not None:
        _ask_open(session, index, opened, terminal)
    else:
        _ask_fallback(session, index, asked, terminal)
    step.done = True


def _ask_open(session: Session, index: int, opened: Any, terminal: _Terminal) -> None:
    """The answer in the candidate's words, then the model answer and the key points to tick
    (the ticking is not interview time)."""
    started = terminal.clock.now()
    text = terminal.read(_prompt(session, index, "iv.cli.answer"))
    _finish(session, index, text, terminal.clock.now() - started)
    out(_tr("iv.model_answer"))
    out(_wrap(opened.answer, "  "))
    out(_tr("iv.key_points"))
    for number, point in enumerate(opened.key_points, start=1):
        out(f"  {number}. {point}")
    step = session.steps[index]
    step.ticked = _read_ticks(terminal, len(opened.key_points))
    out(_tr("iv.covered", covered=len(step.ticked), total=len(opened.key_points)))


def _ask_fallback(session: Session, index: int, asked: Any, terminal: _Terminal) -> None:
    """A question without an open form: letters or a number, judged as in a quiz."""
    from kdquiz.core import quiz
    from kdquiz.core.models import QuestionType

    question = asked.question
    if question.choices:
        out()
        for i, choice in enumerate(question.choices):
            out(f"  {quiz.LETTERS[i]}) {choice.text.get(STATE.lang)}")
    out(_tr("iv.cli.fallback"))
    started = terminal.clock.now()
    while True:
        raw = terminal.read(_prompt(session, index, "iv.cli.choice"))
        if question.type is QuestionType.numeric:
            value = quiz.parse_number(raw)
            verdict = None if value is None else quiz.judge_numeric(asked, value)
        else:
            picks = quiz.parse_letters(raw, len(question.choices or []))
            verdict = None if picks is None else quiz.judge_choice(asked, picks)
        if verdict is not None or session.time_left(index, terminal.clock.now() - started) <= 0:
            break
        out(_tr("iv.cli.invalid"))
    _finish(session, index, raw, terminal.clock.now() - started)
    step = session.steps[index]
    step.correct = bool(verdict and verdict.correct)
    out(_tr("iv.right") if step.correct else _tr("iv.wrong"))
    out(_tr("iv.expected", answer=quiz.expected_text(asked, STATE.lang)))


def _finish(session: Session, index: int, text: str, elapsed: float) -> None:
    from kdquiz.core import interview as core

    if core.finish_answer(session, index, text, elapsed):
        out(_tr("iv.times_up_kept"))
    core.save(session)


def _prompt(session: Session, index: int, key: str, elapsed: float = 0.0) -> str:
    from kdquiz.core.interview import format_clock

    return _tr(key, left=format_clock(session.time_left(index, elapsed)))


def _read_ticks(terminal: _Terminal, count: int) -> list[int]:
    while True:
        raw = terminal.read(_tr("iv.cli.ticks", last=count)).replace(",", " ").split()
        if all(token.isdigit() and 1 <= int(token) <= count for token in raw):
            return sorted({int(token) - 1 for token in raw})
        out(_tr("iv.cli.invalid"))


# -- coding ---------------------------------------------------------------------------------------
def _coding(session: Session, index: int, content: Content, terminal: _Terminal) -> None:
    from pathlib import Path

    from kdquiz.core import interview as core
    from kdquiz.core import interview_file as ivfile

    step = session.steps[index]
    exercise = content.exercises[step.item_id]
    meta = exercise.meta
    assert meta.interview is not None
    lang = STATE.lang
    path = ivfile.prepare_coding_file(session, index, content)
    out()
    out(_header(session, index))
    out(_wrap(meta.interview.prompt.get(lang), "  "))
    out(_tr("iv.coding.file", path=path))
    out(_tr("iv.cli.coding_keys"))
    started = terminal.clock.now() - step.elapsed_s
    with (
        context.warm_worker() as zygote
    ):  # warms up (imports torch) while the candidate reads and codes
        while True:
            elapsed = terminal.clock.now() - started
            if session.time_left(index, elapsed) <= 0:
                out(_tr("iv.times_up_grading"))
                step.timed_out = True
                break
            choice = terminal.read(_prompt(session, index, "iv.cli.coding_prompt", elapsed))
            step.elapsed_s = round(min(terminal.clock.now() - started, session.allowance(index)), 2)
            choice = choice.strip().lower()
            if choice in ("c", "a"):
                _clarify(session, index, content, terminal)
            elif choice == "r":
                run = _grade(exercise, Path(step.file), zygote)
                step.runs.append(run)
                out(
                    _tr(
                        "iv.coding.run",
                        number=len(step.runs),
                        passed=run.score,
                        total=run.max_score,
                    )
                )
                show_failing(run)
            elif choice == "h":
                hints = meta.hints
                if step.hints < len(hints):
                    step.hints += 1
                    out(
                        _tr(
                            "iv.coding.hint",
                            level=step.hints,
                            total=len(hints),
                            text=hints[step.hints - 1].get(lang),
                        )
                    )
                else:
                    out(_tr("iv.coding.no_more_hints"))
            elif choice == "p":
                out(_wrap(meta.interview.prompt.get(lang), "  "))
            elif choice == "d":
                break
            else:
                out(_tr("iv.cli.coding_keys"))
            core.save(session)
        step.elapsed_s = round(min(terminal.clock.now() - started, session.allowance(index)), 2)
        out(_tr("iv.coding.final"))
        step.result = _grade(exercise, Path(step.file), zygote)
    out(_tr("iv.coding.result", passed=step.result.score, total=step.result.max_score))
    step.done = True


def _clarify(session: Session, index: int, content: Content, terminal: _Terminal) -> None:
    step = session.steps[index]
    meta = content.exercises[step.item_id].meta
    assert meta.interview is not None
    items = meta.interview.clarifications
    for number, item in enumerate(items, start=1):
        mark = "✓" if number - 1 in step.clarifications else " "
        out(f"  {mark} {number}) {item.question.get(STATE.lang)}")
    raw = terminal.read(_tr("iv.cli.which_clarification", last=len(items))).strip()
    if not raw:
        return
    if not raw.isdigit() or not 1 <= int(raw) <= len(items):
        out(_tr("iv.cli.invalid"))
        return
    chosen = int(raw) - 1
    if chosen not in step.clarifications:
        step.clarifications.append(chosen)
    out(_tr("iv.interviewer", answer=items[chosen].answer.get(STATE.lang)))


def _grade(exercise: Any, path: Any, zygote: Any) -> Run:
    from kdquiz.core.interview import Run, run_from_result
    from kdquiz.grading.judge import GradeOptions, GradingError, grade_submission
    from kdquiz.grading.worker import ZygoteError

    try:
        result = grade_submission(
            exercise, path, zygote, GradeOptions(lang=STATE.lang), shown_path=str(path)
        )
    except (GradingError, ZygoteError) as exc:
        return Run("error", 0, 0, [], str(exc))
    return run_from_result(result)


def register(app: typer.Typer) -> None:
    app.command()(interview)
