"""The quiz: a session of due cards or a custom set, every question kind from the keyboard."""

from __future__ import annotations

import random

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from kdquiz.core import quiz as core
from kdquiz.core.models import Question, QuestionType
from kdquiz.tui.screens.base import KdScreen

CHOICE_KINDS = (QuestionType.single, QuestionType.multiple, QuestionType.code)
RATING_KEYS = {"a": 1, "h": 2, "g": 3, "e": 4}


class QuizScreen(KdScreen):
    """Ask, judge, teach, record; then the next question."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, questions: list[Question] | None = None, review: bool = False) -> None:
        super().__init__()
        self.review = review
        self.given = questions
        self.questions: list[Question] = []
        self.index = 0
        self.rng = random.Random()
        self.asked: core.AskedQuestion | None = None
        self.phase = "asking"  # asking | rating | answered | done | empty
        self.selected: set[int] = set()
        self.ticked: set[int] = set()
        self.verdict: core.Verdict | None = None
        self.typed = ""
        self.right = self.graded = self.self_rated = 0
        self.notice = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz-body"):
            yield Static(id="quiz-status", classes="subtitle")
            yield Static(id="quiz-prompt")
            yield Static(id="quiz-code")
            yield Static(id="quiz-choices")
            yield Input(id="quiz-input")
            yield Static(id="quiz-instructions", classes="dim")
            yield Static(id="quiz-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.questions = self._pick_questions()
        if self.questions:
            self._ask()
        else:
            self.phase = "empty"
        super().on_mount()

    def _pick_questions(self) -> list[Question]:
        content = self.kd.content
        if self.given is not None:
            return list(self.given)
        from kdquiz.core.settings import load_settings

        size = load_settings().session_size
        store = self.open_store()
        if store is None:
            return []
        try:
            due = [
                i for i, kind, _ in store.due(known=content.questions.keys()) if kind == "question"
            ]
            seen = store.seen()
        finally:
            store.close()
        picked = [content.questions[i] for i in due][:size]
        if len(picked) < size:
            fresh = [q for q in content.questions.values() if q.id not in seen]
            self.rng.shuffle(fresh)
            if not picked:
                self.notice = self.tr("tui.quiz.nothing_due")
            picked += fresh[: size - len(picked)]
        return picked

    # -- state changes -------------------------------------------------------------------------
    def _ask(self) -> None:
        question = self.questions[self.index]
        self.asked = core.ask(question, self.rng)
        self.phase = "asking"
        self.selected, self.ticked, self.verdict, self.typed = set(), set(), None, ""
        field = self.query_one("#quiz-input", Input)
        field.value = ""
        uses_input = question.type in (QuestionType.numeric, QuestionType.short)
        field.display = uses_input
        if uses_input:
            field.focus()
        else:
            self.query_one("#quiz-body").focus()
        self.relabel()

    def _submit_choice(self) -> None:
        assert self.asked is not None
        if not self.selected:
            return
        self._finish(core.judge_choice(self.asked, set(self.selected)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.asked is None or self.phase != "asking":
            return
        kind = self.asked.question.type
        if kind is QuestionType.numeric:
            value = core.parse_number(event.value)
            if value is None:
                self.notify(self.tr("quiz.invalid", hint="0.25"), severity="warning")
                return
            self._finish(core.judge_numeric(self.asked, value))
        elif kind is QuestionType.short:
            self.typed = event.value
            self.phase = "rating"
            event.input.display = False
            self.query_one("#quiz-body").focus()
            self.relabel()

    def _finish(self, verdict: core.Verdict) -> None:
        assert self.asked is not None
        self.verdict = verdict
        self.phase = "answered"
        self.query_one("#quiz-input", Input).display = False
        self.query_one("#quiz-body").focus()
        if verdict.correct is None:
            self.self_rated += 1
            outcome = "self-rated"
        else:
            self.graded += 1
            self.right += int(verdict.correct)
            outcome = "right" if verdict.correct else "wrong"
        self.record(self.asked, verdict, outcome)
        self.relabel()

    @work(thread=True, group="record")
    def record(self, asked: core.AskedQuestion, verdict: core.Verdict, outcome: str) -> None:
        """Write the answer to the schedule (off the UI thread: SQLite may wait for a lock)."""

        store = self.open_store()
        if store is None:
            return
        try:
            store.record_answer(
                asked.id,
                outcome,
                self_rating=verdict.rating,
                answer=verdict.answer_text,
                params=asked.params,
            )
        finally:
            store.close()

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.questions):
            self.phase = "done"
            self.relabel()
        else:
            self._ask()

    def on_key(self, event: events.Key) -> None:
        if self.asked is None or isinstance(self.focused, Input):
            return
        key = event.key
        question = self.asked.question
        if self.phase == "asking" and question.type in CHOICE_KINDS:
            count = len(question.choices or [])
            if len(key) == 1 and key.isalpha() and ord(key) - ord("a") < count:
                index = ord(key) - ord("a")
                if question.type is QuestionType.multiple:
                    self.selected ^= {index}
                else:
                    self.selected = {index}
                event.stop()
                self.relabel()
            elif key == "enter":
                event.stop()
                self._submit_choice()
        elif self.phase == "rating":
            if key.isdigit() and 1 <= int(key) <= len(question.key_points or []):
                self.ticked ^= {int(key) - 1}
                event.stop()
                self.relabel()
            elif key in RATING_KEYS:
                event.stop()
                self._finish(core.judge_self_rating(RATING_KEYS[key], self.typed))
        elif self.phase == "answered" and key in ("enter", "n", "space"):
            event.stop()
            self._next()

    # -- rendering -------------------------------------------------------------------------------
    def relabel(self) -> None:
        status = self.query_one("#quiz-status", Static)
        prompt = self.query_one("#quiz-prompt", Static)
        code = self.query_one("#quiz-code", Static)
        choices = self.query_one("#quiz-choices", Static)
        instructions = self.query_one("#quiz-instructions", Static)
        feedback = self.query_one("#quiz-feedback", Static)
        if self.phase == "empty":
            status.update(self.notice or self.tr("tui.quiz.none"))
            for widget in (prompt, code, choices, instructions, feedback):
                widget.update("")
            self.query_one("#quiz-input", Input).display = False
            return
        if self.phase == "done":
            status.update(
                self.tr(
                    "tui.quiz.done",
                    right=self.right,
                    graded=self.graded,
                    self_rated=self.self_rated,
                )
            )
            for widget in (prompt, code, choices, instructions, feedback):
                widget.update("")
            return
        assert self.asked is not None
        lang = self.kd.lang
        question = self.asked.question
        content = self.kd.content
        line = self.tr(
            "tui.quiz.progress",
            index=self.index + 1,
            total=len(self.questions),
            topic=content.topic_title(question.topic or "", lang),
            kind=self.tr(f"tui.kind.{question.type.value}"),
            difficulty="★" * question.difficulty,
        )
        status.update(f"{self.notice}\n{line}" if self.notice and self.index == 0 else line)
        prompt.update(Markdown(self.asked.prompt(lang)))
        dark = getattr(self.app.current_theme, "dark", True)
        code.update(
            Syntax(
                question.code.rstrip(),
                question.code_language,
                theme="monokai" if dark else "default",
                line_numbers=True,
                word_wrap=True,
            )
            if question.code
            else ""
        )
        code.display = bool(question.code)
        choices.update(self._render_choices())
        instructions.update(self._instructions())
        feedback.update(self._render_feedback())
        self.query_one("#quiz-input", Input).placeholder = (
            self.tr("quiz.prompt.numeric")
            if question.type is QuestionType.numeric
            else self.tr("quiz.prompt.short")
        )

    def _instructions(self) -> str:
        assert self.asked is not None
        kind = self.asked.question.type
        if self.phase == "rating":
            return self.tr("tui.quiz.rate")
        if self.phase == "answered":
            return self.tr("tui.key.next") + " ⏎"
        if kind is QuestionType.multiple:
            return self.tr("tui.quiz.choose_many")
        if kind in CHOICE_KINDS:
            return self.tr("tui.quiz.choose")
        if kind is QuestionType.numeric:
            return self.tr("tui.quiz.type_number")
        return self.tr("tui.quiz.type_short")

    def _render_choices(self) -> RenderableType:
        assert self.asked is not None
        question, lang = self.asked.question, self.kd.lang
        if not question.choices:
            return ""
        lines = []
        for index, choice in enumerate(question.choices):
            letter = core.LETTERS[index]
            chosen = index in self.selected
            mark = (
                ("[x]" if chosen else "[ ]")
                if question.type is QuestionType.multiple
                else ("(•)" if chosen else "( )")
            )
            style = "bold" if chosen else ""
            if self.phase == "answered":
                style = "green" if choice.correct else ("red" if chosen else "dim")
            lines.append(Text(f" {mark} {letter}) {choice.text.get(lang)}", style=style))
        return Group(*lines)

    def _render_feedback(self) -> RenderableType:
        assert self.asked is not None
        question, lang = self.asked.question, self.kd.lang
        parts: list[RenderableType] = []
        if self.phase == "rating" or (
            self.phase == "answered" and question.type is QuestionType.short
        ):
            if self.typed:
                parts.append(Text(f"› {self.typed}", style="italic"))
            parts.append(Text(self.tr("quiz.model_answer"), style="bold"))
            parts.append(Markdown(question.answer.get(lang) if question.answer else ""))
            parts.append(Text(self.tr("quiz.key_points"), style="bold"))
            for index, point in enumerate(question.key_points or []):
                tick = "☑" if index in self.ticked else "☐"
                parts.append(Text(f" {tick} {index + 1}. {point.get(lang)}"))
        if self.phase != "answered" or self.verdict is None:
            return Group(*parts)
        if self.verdict.correct is not None:
            parts.append(
                Text(
                    self.tr("quiz.correct") if self.verdict.correct else self.tr("quiz.wrong"),
                    style="bold green" if self.verdict.correct else "bold red",
                )
            )
            parts.append(
                Text(self.tr("quiz.expected", answer=core.expected_text(self.asked, lang)))
            )
        wrong = [(i, c) for i, c in enumerate(question.choices or []) if not c.correct and c.why]
        if wrong:
            parts.append(Text(self.tr("quiz.why_wrong"), style="bold"))
            for index, choice in wrong:
                assert choice.why is not None
                parts.append(Text(f" {core.LETTERS[index]}) {choice.why.get(lang)}"))
        parts.append(Text(self.tr("quiz.explanation"), style="bold"))
        parts.append(Markdown(question.explanation.get(lang)))
        bibliography = self.kd.content.bibliography
        refs = [bibliography[k] for k in question.references if k in bibliography]
        if refs:
            parts.append(Text(self.tr("quiz.references"), style="bold"))
            for ref in refs:
                arxiv = f", arXiv:{ref.arxiv}" if ref.arxiv else ""
                parts.append(Text(f" {ref.authors} ({ref.year}). {ref.title}{arxiv}", style="dim"))
        for exercise in question.related_exercises:
            if exercise in self.kd.content.exercises:
                parts.append(Text(self.tr("quiz.related", exercise=exercise), style="cyan"))
        return Group(*parts)
