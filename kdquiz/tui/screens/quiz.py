"""The quiz: a session of due cards or a custom set, every question kind from the keyboard."""

from __future__ import annotations

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
from kdquiz.core.session import QuizSession, missed_options
from kdquiz.tui.screens.base import KdScreen

CHOICE_KINDS = (QuestionType.single, QuestionType.multiple, QuestionType.code)


class QuizScreen(KdScreen):
    """Ask, judge, teach, record; then the next question. The session (which questions, the
    tally, what is a review) is :class:`kdquiz.core.session.QuizSession`, as in the CLI."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, questions: list[Question] | None = None, review: bool = False) -> None:
        super().__init__()
        self.review = review
        self.given = questions
        self.session = QuizSession([])
        self.rng = self.session.rng
        self.asked: core.AskedQuestion | None = None
        self.phase = "asking"  # asking | rating | answered | done | empty
        self.selected: set[int] = set()
        self.ticked: set[int] = set()
        self.verdict: core.Verdict | None = None
        self.typed = ""
        self.notice = ""
        self.resume_phase = ""

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

    @property
    def questions(self) -> list[Question]:
        return self.session.questions

    @property
    def index(self) -> int:
        return self.session.index

    def on_mount(self) -> None:
        self.phase = "loading"
        super().on_mount()
        self.load_questions()

    @work(thread=True, exclusive=True, group="quiz-load")
    def load_questions(self) -> None:
        """Choose the session off the UI thread (the store may be waiting for a lock)."""
        picked = self._pick_questions()
        self.app.call_from_thread(self._start, picked)

    def _start(self, picked: list[Question]) -> None:
        self.session.questions = picked
        if picked:
            self._ask()
        else:
            self.phase = "empty"
            self.relabel()

    def _pick_questions(self) -> list[Question]:
        if self.given is not None:
            return list(self.given)
        from kdquiz.core.progress import ProgressError
        from kdquiz.core.session import plan_review
        from kdquiz.core.settings import load_settings

        size = load_settings().session_size
        store = self.store()
        if store is None:
            return []
        try:
            plan = plan_review(store, self.kd.content, limit=size, rng=self.rng)
        except ProgressError as exc:
            self._tell(exc.message(self.kd.lang))
            return []
        if not plan.due_questions and plan.questions:
            self.notice = self.tr("tui.quiz.nothing_due")
        return plan.questions

    # -- state changes -------------------------------------------------------------------------
    def _ask(self) -> None:
        self.asked = self.session.ask()
        question = self.asked.question
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
                raw = event.value.strip()
                self.notify(self.tr(core.number_problem(raw), raw=raw), severity="warning")
                return
            self._finish(core.judge_numeric(self.asked, value))
        elif kind is QuestionType.short:
            self.typed = event.value
            self.phase = "rating"
            event.input.display = False
            self.query_one("#quiz-body").focus()
            self.relabel()

    def _finish(self, verdict: core.Verdict) -> None:
        asked = self.asked
        assert asked is not None
        self.verdict = verdict
        self.phase = "answered"
        self.query_one("#quiz-input", Input).display = False
        self.query_one("#quiz-body").focus()
        first = self.session.count(verdict, asked.id)
        # written off the UI thread: SQLite may wait for another process's lock
        self.save(lambda store: QuizSession.save(store, asked, verdict, first))
        self.relabel()

    def _next(self) -> None:
        self.session.advance()
        if self.session.done:
            self.phase = "done"
            self.relabel()
        else:
            self._ask()

    def action_back(self) -> None:
        """Esc in the middle of a session asks first, then shows the session's summary."""
        if self.phase in ("asking", "rating", "rate", "answered") and self.session.tally.graded + (
            self.session.tally.self_rated
        ):
            self.resume_phase, self.phase = self.phase, "confirm"
            self.relabel()
            return
        self.dismiss()

    def _confirm_key(self, key: str) -> None:
        if key in ("y", "enter"):
            self.phase = "done"
        elif key in ("n", "escape"):
            self.phase = self.resume_phase
        self.relabel()

    def on_key(self, event: events.Key) -> None:
        if self.phase == "confirm":
            event.stop()
            self._confirm_key(event.key)
            return
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
        elif self.phase in ("rating", "rate"):
            # First tick the key points with their numbers (1-N), then rate: letters a/h/g/e at
            # any time, or Enter and then the digits 1-4, the same keys as the plain terminal.
            ticking = self.phase == "rating" and bool(question.key_points)
            if ticking and key.isdigit() and 1 <= int(key) <= len(question.key_points or []):
                self.ticked ^= {int(key) - 1}
                event.stop()
                self.relabel()
            elif key in core.RATING_LETTERS or (not ticking and key in "1234" and key):
                event.stop()
                rating = core.parse_rating(key)
                assert rating is not None
                self._finish(core.judge_self_rating(rating, self.typed))
            elif key == "enter" and self.phase == "rating":
                event.stop()
                self.phase = "rate"
                self.relabel()
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
        if self.phase == "loading":
            return
        if self.phase == "confirm":
            instructions.update(self.tr("daily.quiz.quit_ask"))
            return
        if self.phase == "done":
            tally = self.session.tally
            status.update(
                self.tr(
                    "tui.quiz.done",
                    right=tally.right,
                    graded=tally.graded,
                    self_rated=tally.self_rated,
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
        if self.phase == "rating" and self.asked.question.key_points:
            return self.tr("daily.quiz.tick", count=len(self.asked.question.key_points))
        if self.phase in ("rating", "rate"):
            return self.tr("daily.quiz.rate")
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
        if self.phase in ("rating", "rate") or (
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
        for index in missed_options(self.asked, self.verdict):
            text = (question.choices or [])[index].text.get(lang)
            parts.append(
                Text(
                    self.tr("daily.quiz.missed", letter=core.LETTERS[index], text=text),
                    style="yellow",
                )
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
