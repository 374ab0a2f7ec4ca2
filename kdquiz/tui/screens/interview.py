"""The mock interview: concept questions and follow-ups against a clock in the header, then the
coding step (:mod:`kdquiz.tui.screens.interview_coding`), then the scorecard.

The session and its rules are :mod:`kdquiz.core.interview`; this screen asks, keeps time and
saves. When a question's time is up the screen moves on with what was typed: nothing typed is
ever lost (the draft is also saved every second, so a crash keeps it). Comparing with the model
answer is not interview time: the clock pauses then.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Static, TextArea

from kdquiz.core import interview as core
from kdquiz.core import interview_plan as ivplan
from kdquiz.core import interview_score as ivscore
from kdquiz.core import quiz
from kdquiz.core.models import QuestionType
from kdquiz.tui.screens.base import KdScreen

TICK_SECONDS = 1.0


class InterviewScreen(KdScreen):
    """One session: each step asked, answered, compared; then coding and the scorecard."""

    BINDINGS = [Binding("ctrl+s", "submit", "Submit", priority=True)]
    KEY_LABELS = {"submit": "iv.tui.key.submit"}

    def __init__(self, session: core.Session, clock: core.Clock | None = None) -> None:
        super().__init__()
        self.session = session
        self.clock: core.Clock = clock or core.SystemClock()
        self.index: int | None = None
        self.phase = "answering"  # answering | comparing | answered | coding
        self.step_started = 0.0
        self.asked: quiz.AskedQuestion | None = None
        self.opened: ivplan.OpenQuestion | None = None
        self.selected: set[int] = set()

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="iv-body"):
            yield Static(id="iv-status", classes="subtitle")
            yield Static(id="iv-prompt")
            yield Static(id="iv-code")
            yield Static(id="iv-choices")
            yield TextArea(id="iv-answer", soft_wrap=True)
            yield Input(id="iv-number")
            yield Static(id="iv-instructions", classes="dim")
            yield Static(id="iv-feedback")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(TICK_SECONDS, self.tick)
        self._start_step()

    # -- the clock -----------------------------------------------------------------------------
    def elapsed(self) -> float:
        """Interview time spent on the current step (what was saved before, plus this sitting)."""
        assert self.index is not None
        if self.phase != "answering":
            return self.session.steps[self.index].elapsed_s
        return self.session.steps[self.index].elapsed_s + self.clock.now() - self.step_started

    def tick(self) -> None:
        """Every second: the header clock, the draft saved, and time's up."""
        if self.index is None or self.phase == "coding":
            return
        self._show_clock()
        if self.phase != "answering":
            return
        step = self.session.steps[self.index]
        typed = self._typed()
        if self.session.time_left(self.index, self.elapsed()) <= 0:
            self.notify(self.tr("iv.times_up_kept"), severity="warning")
            self._submit(typed, timed_out=True)
            return
        # The draft and the time spent so far, so a crash loses neither (a resumed step goes on
        # with the clock where it stopped).
        step.elapsed_s, self.step_started = self.elapsed(), self.clock.now()
        if typed != step.answer or int(step.elapsed_s) % 10 == 0:
            step.answer = typed
            self._save()

    def _show_clock(self) -> None:
        assert self.index is not None
        number, count = self.session.position(self.index)
        key = "iv.tui.clock" if self.phase == "answering" else "iv.tui.clock.paused"
        self.sub_title = self.tr(
            key,
            part=self.tr(f"iv.part.{self.session.steps[self.index].kind}"),
            number=number,
            count=count,
            left=core.format_clock(self.session.time_left(self.index, self.elapsed())),
        )

    # -- steps ---------------------------------------------------------------------------------
    def _start_step(self) -> None:
        self.index = self.session.current
        if self.index is None:
            self._finish_session()
            return
        step = self.session.steps[self.index]
        self.step_started = self.clock.now()
        if step.kind == "coding":
            from kdquiz.tui.screens.interview_coding import InterviewCodingScreen

            self.phase = "coding"
            self.app.push_screen(
                InterviewCodingScreen(self.session, self.index, self.clock),
                callback=lambda _done: self._after_coding(),
            )
            return
        question = self.kd.content.questions[step.item_id]
        self.asked = ivplan.asked_question(question, step.params)
        self.opened = ivplan.open_question(question, self.kd.lang, step.params)
        self.phase = "answering"
        self.selected = set()
        answer = self.query_one("#iv-answer", TextArea)
        number = self.query_one("#iv-number", Input)
        answer.load_text(step.answer)
        number.value = step.answer
        answer.display = self.opened is not None
        number.display = self.opened is None and question.type is QuestionType.numeric
        if answer.display:
            answer.focus()
        elif number.display:
            number.focus()
        else:
            self.query_one("#iv-body").focus()
        self.relabel()

    def _typed(self) -> str:
        if self.opened is not None:
            return self.query_one("#iv-answer", TextArea).text
        if self.asked is not None and self.asked.question.type is QuestionType.numeric:
            return self.query_one("#iv-number", Input).value
        return "".join(quiz.LETTERS[i] for i in sorted(self.selected))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.phase == "answering" and self.opened is not None
        return True

    def action_submit(self) -> None:
        # Ctrl+S is a priority binding: it runs as it arrives, while the keys typed just before
        # it may still wait in the answer box's queue. Read the answer once they are in.
        self.query_one("#iv-answer", TextArea).call_later(self._submit_typed)

    def _submit_typed(self) -> None:
        if self.phase == "answering":
            self._submit(self._typed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.phase == "answering" and quiz.parse_number(event.value) is not None:
            self._submit(event.value)
        elif self.phase == "answering":
            self.notify(self.tr("iv.cli.invalid"), severity="warning")

    def _submit(self, typed: str, timed_out: bool = False) -> None:
        assert self.index is not None and self.asked is not None
        step = self.session.steps[self.index]
        elapsed = self.elapsed()
        core.finish_answer(self.session, self.index, typed, elapsed)
        step.timed_out = step.timed_out or timed_out
        self.query_one("#iv-answer", TextArea).display = False
        self.query_one("#iv-number", Input).display = False
        self.query_one("#iv-body").focus()
        if self.opened is not None:
            self.phase = "comparing"
        else:
            step.correct = self._judge_fallback(typed)
            self._complete_step()
            self.phase = "answered"
        self._save()
        self.relabel()
        self._show_clock()

    def _judge_fallback(self, typed: str) -> bool:
        assert self.asked is not None
        question = self.asked.question
        if question.type is QuestionType.numeric:
            value = quiz.parse_number(typed)
            return value is not None and bool(quiz.judge_numeric(self.asked, value).correct)
        return bool(self.selected) and bool(quiz.judge_choice(self.asked, self.selected).correct)

    def _complete_step(self) -> None:
        assert self.index is not None
        self.session.steps[self.index].done = True
        self._save()
        self.record(self.index)

    def record(self, index: int) -> None:
        """Into the review queue, through the app's ordered writes (off the UI thread: SQLite
        may wait for a lock), then the session file says it was recorded."""

        def write(store: Any) -> None:
            ivscore.record_step(store, self.session, index, self.kd.content)
            self.app.call_from_thread(self._save)

        self.save(write)

    def _save(self) -> None:
        try:
            core.save(self.session)
        except OSError as exc:
            self.notify(str(exc), severity="error")

    def _after_coding(self) -> None:
        self._start_step()

    def _finish_session(self) -> None:
        from kdquiz.tui.screens.interview_scorecard import InterviewScorecardScreen

        core.finish(self.session)
        self._save()
        self.app.switch_screen(InterviewScorecardScreen(self.session))

    # -- keys ----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if self.asked is None or self.index is None:
            return
        if isinstance(self.focused, (Input, TextArea)):
            return
        key, question = event.key, self.asked.question
        if self.phase == "answering" and question.choices:
            count = len(question.choices)
            if len(key) == 1 and key.isalpha() and ord(key) - ord("a") < count:
                picked = ord(key) - ord("a")
                if question.type is QuestionType.multiple:
                    self.selected ^= {picked}
                else:
                    self.selected = {picked}
                event.stop()
                self.relabel()
            elif key == "enter" and self.selected:
                event.stop()
                self._submit(self._typed())
        elif self.phase == "comparing" and self.opened is not None:
            count = len(self.opened.key_points)
            step = self.session.steps[self.index]
            if key.isdigit() and 1 <= int(key) <= count:
                step.ticked = sorted(set(step.ticked) ^ {int(key) - 1})
                event.stop()
                self._save()
                self.relabel()
            elif key == "enter":
                event.stop()
                self._complete_step()
                self._start_step()
        elif self.phase == "answered" and key in ("enter", "n", "space"):
            event.stop()
            self._start_step()

    # -- rendering -----------------------------------------------------------------------------
    def relabel(self) -> None:
        if self.index is None or self.asked is None or self.phase == "coding":
            return
        lang = self.kd.lang
        step = self.session.steps[self.index]
        question = self.asked.question
        if self.opened is not None:  # in the current language
            self.opened = ivplan.open_question(question, lang, step.params)
        content = self.kd.content
        intro = self.tr("iv.follow_up_intro") + "\n" if step.kind == "follow_up" else ""
        self.query_one("#iv-status", Static).update(
            intro
            + content.topic_title(question.topic or "", lang)
            + " · "
            + "★" * question.difficulty
        )
        prompt = self.opened.prompt if self.opened is not None else self.asked.prompt(lang)
        self.query_one("#iv-prompt", Static).update(Markdown(prompt))
        code = self.query_one("#iv-code", Static)
        dark = getattr(self.app.current_theme, "dark", True)
        code.update(
            Syntax(
                question.code.rstrip(),
                question.code_language,
                theme="monokai" if dark else "default",
                word_wrap=True,
            )
            if question.code
            else ""
        )
        code.display = bool(question.code)
        self.query_one("#iv-choices", Static).update(self._render_choices())
        self.query_one("#iv-instructions", Static).update(self._instructions())
        self.query_one("#iv-feedback", Static).update(self._render_feedback())
        self._show_clock()
        self.refresh_bindings()

    def _instructions(self) -> str:
        assert self.asked is not None
        if self.phase == "comparing" and self.opened is not None:
            return self.tr("iv.tui.compare", last=len(self.opened.key_points))
        if self.phase == "answered":
            return self.tr("iv.tui.next")
        if self.opened is not None:
            return self.tr("iv.tui.answer_open")
        if self.asked.question.type is QuestionType.numeric:
            return self.tr("iv.tui.number")
        return self.tr("iv.tui.fallback")

    def _render_choices(self) -> RenderableType:
        assert self.asked is not None
        question = self.asked.question
        if self.opened is not None or not question.choices:
            return ""
        lines = []
        for index, choice in enumerate(question.choices):
            chosen = index in self.selected
            mark = "[x]" if chosen else "[ ]"
            style = "bold" if chosen else ""
            if self.phase == "answered":
                style = "green" if choice.correct else ("red" if chosen else "dim")
            letter = quiz.LETTERS[index]
            lines.append(Text(f" {mark} {letter}) {choice.text.get(self.kd.lang)}", style=style))
        return Group(*lines)

    def _render_feedback(self) -> RenderableType:
        assert self.asked is not None and self.index is not None
        step = self.session.steps[self.index]
        parts: list[RenderableType] = []
        if self.phase == "comparing" and self.opened is not None:
            parts.append(Text(self.tr("iv.tui.yours"), style="bold"))
            parts.append(Text(step.answer or "—", style="italic"))
            # the key points to tick first, the model answer (often long) below them
            parts.append(Text(self.tr("iv.key_points"), style="bold"))
            for number, point in enumerate(self.opened.key_points, start=1):
                tick = "☑" if number - 1 in step.ticked else "☐"
                parts.append(Text(f" {tick} {number}. {point}"))
            parts.append(Text(self.tr("iv.model_answer"), style="bold"))
            parts.append(Markdown(self.opened.answer))
        elif self.phase == "answered":
            parts.append(
                Text(
                    self.tr("iv.right") if step.correct else self.tr("iv.wrong"),
                    style="bold green" if step.correct else "bold red",
                )
            )
            expected = quiz.expected_text(self.asked, self.kd.lang)
            parts.append(Text(self.tr("iv.expected", answer=expected)))
        return Group(*parts)
