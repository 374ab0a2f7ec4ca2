"""``kdquiz quiz``: the plain-terminal quiz (answers may come on stdin, so it is scriptable)."""

from __future__ import annotations

import random
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from kdquiz.cli.context import STATE, fail, load_checked_content, open_progress, out, stdin_is_tty
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.models import Question
    from kdquiz.core.quiz import AskedQuestion, Verdict


class _EndOfInput(Exception):
    pass


def _read(prompt: str) -> str:
    try:
        raw = input(prompt)
    except EOFError:
        raise _EndOfInput from None
    if not stdin_is_tty():
        out(raw)  # echo piped answers so a transcript reads like a session
    return raw


def _wrap(text: str) -> str:
    return "\n".join(
        textwrap.fill(para, width=100) if para.strip() else "" for para in text.strip().split("\n")
    )


def _show_question(asked: AskedQuestion, index: int, total: int, content: Content) -> None:
    from kdquiz.core.quiz import LETTERS

    q, lang = asked.question, STATE.lang
    out()
    out(
        t(
            "quiz.header",
            lang,
            index=index,
            total=total,
            topic=content.topic_title(q.topic or "", lang),
            difficulty=q.difficulty,
        )
    )
    out(_wrap(asked.prompt(lang)))
    if q.code:
        out()
        out(textwrap.indent(q.code.rstrip(), "    "))
    if q.choices:
        out()
        for i, choice in enumerate(q.choices):
            out(f"  {LETTERS[i]}) {choice.text.get(lang)}")


def _ask_until_valid(prompt: str, parse, problem):  # type: ignore[no-untyped-def]
    """Ask until ``parse`` accepts the answer; ``problem(raw)`` says what was wrong with it."""
    while True:
        raw = _read(prompt)
        value = parse(raw)
        if value is not None:
            return value
        out(problem(raw.strip()))


def _answer(asked: AskedQuestion) -> Verdict:
    from kdquiz.core import quiz as core
    from kdquiz.core.models import QuestionType

    q, lang = asked.question, STATE.lang
    if q.type in (QuestionType.single, QuestionType.code, QuestionType.multiple):
        count = len(q.choices or [])
        key = "quiz.prompt.multiple" if q.type is QuestionType.multiple else "quiz.prompt.single"
        last = core.LETTERS[count - 1]
        picks = _ask_until_valid(
            t(key, lang),
            lambda raw: core.parse_letters(raw, count),
            lambda raw: t("daily.quiz.not_letters", lang, raw=raw, last=last),
        )
        if q.type is not QuestionType.multiple and len(picks) != 1:
            picks = {min(picks)}
        return core.judge_choice(asked, picks)
    if q.type is QuestionType.numeric:
        value = _ask_until_valid(
            t("quiz.prompt.numeric", lang),
            core.parse_number,
            lambda raw: t(core.number_problem(raw), lang, raw=raw),
        )
        return core.judge_numeric(asked, value)
    text = _read(t("quiz.prompt.short", lang))
    out()
    out(t("quiz.model_answer", lang))
    out(_wrap(q.answer.get(lang) if q.answer else ""))
    out(t("quiz.key_points", lang))
    for number, point in enumerate(q.key_points or [], start=1):
        out(f"  {number}. {point.get(lang)}")
    rating = _ask_until_valid(
        t("daily.quiz.rate", lang),
        core.parse_rating,
        lambda raw: t("daily.quiz.not_rating", lang, raw=raw),
    )
    return core.judge_self_rating(rating, text)


def _show_feedback(asked: AskedQuestion, verdict: Verdict, content: Content) -> None:
    from kdquiz.core.quiz import LETTERS, expected_text
    from kdquiz.core.session import missed_options

    q, lang = asked.question, STATE.lang
    if verdict.correct is not None:
        out(t("quiz.correct", lang) if verdict.correct else t("quiz.wrong", lang))
        out(t("quiz.expected", lang, answer=expected_text(asked, lang)))
    for index in missed_options(asked, verdict):
        text = (q.choices or [])[index].text.get(lang)
        out(t("daily.quiz.missed", lang, letter=LETTERS[index], text=text))
    wrong = [(i, c) for i, c in enumerate(q.choices or []) if not c.correct and c.why]
    if wrong:
        out(t("quiz.why_wrong", lang))
        for i, choice in wrong:
            assert choice.why is not None
            out(f"  {LETTERS[i]}) {choice.why.get(lang)}")
    out(t("quiz.explanation", lang))
    out(_wrap(q.explanation.get(lang)))
    refs = [content.bibliography[k] for k in q.references if k in content.bibliography]
    if refs:
        out(t("quiz.references", lang))
        for ref in refs:
            arxiv = f", arXiv:{ref.arxiv}" if ref.arxiv else ""
            out(f"  {ref.authors} ({ref.year}). {ref.title}{arxiv}")
    for exercise in q.related_exercises:
        if exercise not in content.exercises:
            continue
        out(t("quiz.related", lang, exercise=exercise))


def quiz(
    topic: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")
    ] = None,
    difficulty: Annotated[
        list[int] | None,
        typer.Option("--difficulty", "-d", help="Only this difficulty, 1-3 (repeatable)."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-k",
            help="Only this kind: single, multiple, short, numeric, code (repeatable).",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only questions with this tag (repeatable).")
    ] = None,
    exercise: Annotated[
        list[str] | None,
        typer.Option("--exercise", "-e", help="Only questions behind this exercise (repeatable)."),
    ] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions.")] = 10,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Fix the order and template numbers (for scripts).")
    ] = None,
) -> None:
    """Answer questions in the plain terminal. Answers can be piped on stdin."""
    from kdquiz.core import quiz as core

    content = load_checked_content()
    rng = random.Random(seed)
    chosen = core.select_questions(
        list(content.questions.values()),
        topics=topic,
        difficulties=difficulty,
        types=kind,
        tags=tag,
        exercises=exercise,
        count=count,
        rng=rng,
    )
    if not chosen:
        fail(t("quiz.none", STATE.lang, topics=", ".join(sorted(content.topics))), code=1)
    run_session(chosen, content, rng)


def run_session(chosen: list[Question], content: Content, rng: random.Random) -> None:
    """Ask each question, judge it, teach, and record the answer in the review schedule. Input
    ending or Ctrl-C stops the quiz with its summary; answers kept while the database was busy
    are saved before the summary, or the learner is told plainly that they were not."""
    from kdquiz.core.progress import ProgressError
    from kdquiz.core.session import QuizSession

    lang = STATE.lang
    session = QuizSession(chosen, open_progress(), rng)
    assert session.store is not None
    told_busy = False
    told_errors: set[str] = set()
    try:
        while not session.done:
            asked = session.ask()
            _show_question(asked, session.index + 1, len(chosen), content)
            verdict = _answer(asked)
            _show_feedback(asked, verdict, content)
            try:
                saved = session.answer(asked, verdict)
            except ProgressError as exc:
                if exc.key not in told_errors:  # said once; the answer stays kept, is retried
                    told_errors.add(exc.key)
                    out(exc.message(lang))
                saved = True
            if not saved and not told_busy:
                out(t("daily.store.kept", lang))
            elif saved and told_busy and not session.store.unsaved:
                out(t("daily.store.saved_late", lang))
            told_busy = bool(session.store.unsaved)
            session.advance()
    except _EndOfInput:
        out()
        out(t("quiz.eof", lang))
    except KeyboardInterrupt:
        out()
        out(t("daily.quiz.interrupted", lang))
    finally:
        _finish(session)
    tally = session.tally
    out()
    out(t("quiz.score", lang, right=tally.right, graded=tally.graded, self_rated=tally.self_rated))


def _finish(session) -> None:  # type: ignore[no-untyped-def]
    """Save what was kept (waiting for a busy database), say plainly what could not be saved."""
    from kdquiz.core.progress import ProgressError

    store = session.store
    try:
        left = session.finish()
        reason = ""
        if left:
            reason = t("daily.store.busy", STATE.lang, path=store.path)
    except ProgressError as exc:
        left, reason = store.unsaved, exc.message(STATE.lang)
    except KeyboardInterrupt:
        left, reason = store.unsaved, t("daily.quiz.interrupted", STATE.lang)
    finally:
        store.close()
    if left:
        typer.echo(t("daily.store.unsaved", STATE.lang, count=left, reason=reason), err=True)


def register(app: typer.Typer) -> None:
    app.command()(quiz)
