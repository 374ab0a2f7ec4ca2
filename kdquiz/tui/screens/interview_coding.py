"""The coding step of a mock interview: the exercise as its interviewer poses it (a few lines), a
file with only the signature and docstring, clarifying questions from a menu, checks that are
allowed and counted, and, when the candidate is done or time is up, the final grading of the last
saved file by the hidden suite (through the app's warm grading service, as the exercise screen).
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from kdquiz.core import interview as core
from kdquiz.core import interview_file as ivfile
from kdquiz.core import interview_score as ivscore
from kdquiz.tui.messages import CheckFinished
from kdquiz.tui.screens.base import KdScreen

TICK_SECONDS = 1.0


class InterviewCodingScreen(KdScreen):
    """Dismissed (with True) once the final grading is in the session."""

    BINDINGS = [
        Binding("a", "ask", "Ask"),
        Binding("o", "open_editor", "$EDITOR"),
        Binding("i", "edit_here", "Edit here"),
        Binding("r", "run", "Run checks"),
        Binding("h", "hint", "Hint"),
        Binding("d", "done", "Done"),
    ]
    KEY_LABELS = {
        "ask": "iv.tui.key.ask",
        "open_editor": "tui.key.edit",
        "edit_here": "tui.key.editor",
        "run": "iv.tui.key.run",
        "hint": "tui.key.hint",
        "done": "iv.tui.key.done",
    }

    def __init__(self, session: core.Session, index: int, clock: core.Clock) -> None:
        super().__init__()
        self.session = session
        self.index = index
        self.clock = clock
        self.step = session.steps[index]
        self.started = clock.now() - self.step.elapsed_s
        self.status_line = ""
        self.grading_final = False
        self.running = False

    @property
    def exercise(self) -> Any:
        return self.kd.content.exercises[self.step.item_id]

    @property
    def path(self) -> Path:
        return Path(self.step.file)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="iv-body"):
            yield Static(id="iv-coding-title", classes="subtitle")
            yield Static(id="iv-coding-prompt")
            yield Static(id="iv-coding-file", classes="dim")
            yield Static(id="iv-coding-keys", classes="dim")
            yield Static(id="iv-coding-asked")
            yield Static(id="iv-coding-hints")
            yield Static(id="iv-coding-results")
        yield Footer()

    def on_mount(self) -> None:
        ivfile.prepare_coding_file(self.session, self.index, self.kd.content)
        super().on_mount()
        self.set_interval(TICK_SECONDS, self.tick)
        self.kd.grader  # noqa: B018 - starts the warm worker (torch imports while the candidate reads)

    # -- the clock -------------------------------------------------------------------------------
    def elapsed(self) -> float:
        return min(self.clock.now() - self.started, self.session.allowance(self.index))

    def tick(self) -> None:
        if self.grading_final:
            return
        self.step.elapsed_s = round(self.elapsed(), 2)
        self._show_clock()
        if self.session.time_left(self.index, self.elapsed()) <= 0:
            self.step.timed_out = True
            self.notify(self.tr("iv.times_up_grading"), severity="warning")
            self._close_overlays()
            self.action_done()

    def _show_clock(self) -> None:
        self.sub_title = self.tr(
            "iv.tui.clock",
            part=self.tr("iv.part.coding"),
            number=1,
            count=1,
            left=core.format_clock(self.session.time_left(self.index, self.elapsed())),
        )

    def _close_overlays(self) -> None:
        """Close what is open above this screen (the clarification menu, the embedded editor,
        whose text is saved first: time's up never loses typed text)."""
        from kdquiz.tui.screens.editor import EditorScreen

        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            top = self.app.screen
            if isinstance(top, EditorScreen):
                top.action_save()
            self.app.pop_screen()

    # -- actions ---------------------------------------------------------------------------------
    def action_ask(self) -> None:
        from kdquiz.tui.screens.interview_clarify import ClarifyScreen

        if self.grading_final:
            return
        interview = self.exercise.meta.interview
        self.app.push_screen(ClarifyScreen(interview, self.step.clarifications), self._asked)

    def _asked(self, chosen: int | None) -> None:
        if chosen is not None and chosen not in self.step.clarifications:
            self.step.clarifications.append(chosen)
            self._save()
        self.relabel()

    def action_open_editor(self) -> None:
        if self.grading_final:
            return
        from kdquiz.core.settings import editor_command, load_settings

        command = editor_command(load_settings())
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(command), str(self.path)], check=False)
        except (OSError, ValueError):
            self.notify(self.tr("tui.ex.editor_failed", editor=command), severity="error")

    def action_edit_here(self) -> None:
        if self.grading_final:
            return
        from kdquiz.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.path))

    def action_hint(self) -> None:
        if self.grading_final:
            return
        hints = self.exercise.meta.hints
        if self.step.hints >= len(hints):
            self.notify(self.tr("iv.coding.no_more_hints"))
            return
        self.step.hints += 1
        self._save()
        self.relabel()

    def action_run(self) -> None:
        if self.running or self.grading_final:
            return
        self.running = True
        self.status_line = self.tr("iv.tui.coding.running")
        self.relabel()
        self.grade()

    def action_done(self) -> None:
        if self.grading_final:
            return
        self.grading_final = True
        self.step.elapsed_s = round(self.elapsed(), 2)
        self._save()
        self.status_line = self.tr("iv.coding.final")
        self.relabel()
        self.grade()

    @work(thread=True, exclusive=True, group="interview-grade")
    def grade(self) -> None:
        """Grade the saved file in a worker thread, with the app's warm grading service."""
        from kdquiz.grading.judge import GradingError
        from kdquiz.grading.worker import ZygoteError

        try:
            result = self.kd.grader.check(self.exercise, self.path, self.kd.lang, lambda _t: None)
        except (GradingError, ZygoteError) as exc:
            message = CheckFinished(self.exercise.id, None, str(exc))
        else:
            message = CheckFinished(self.exercise.id, result)
        self.app.call_from_thread(self.post_message, message)

    def on_check_finished(self, message: CheckFinished) -> None:
        run = (
            core.Run("error", 0, 0, [], message.error)
            if message.result is None
            else core.run_from_result(message.result)
        )
        if self.grading_final:
            self.step.result = run
            self.step.done = True
            self._save()
            self._close_overlays()
            self.dismiss(True)
            return
        self.running = False
        self.step.runs.append(run)
        self._save()
        self.status_line = self.tr(
            "iv.coding.run", number=len(self.step.runs), passed=run.score, total=run.max_score
        )
        self.relabel()

    def _save(self) -> None:
        try:
            core.save(self.session)
        except OSError as exc:
            self.notify(str(exc), severity="error")

    # -- rendering -------------------------------------------------------------------------------
    def relabel(self) -> None:
        lang = self.kd.lang
        meta = self.exercise.meta
        self.query_one("#iv-coding-title", Static).update(meta.title.get(lang))
        self.query_one("#iv-coding-prompt", Static).update(
            Markdown(meta.interview.prompt.get(lang))
        )
        self.query_one("#iv-coding-file", Static).update(self.tr("iv.coding.file", path=self.path))
        self.query_one("#iv-coding-keys", Static).update(self.tr("iv.tui.coding.keys"))
        self.query_one("#iv-coding-asked", Static).update(self._render_asked())
        hints = meta.hints
        self.query_one("#iv-coding-hints", Static).update(
            Group(
                *[
                    Text(
                        self.tr(
                            "iv.coding.hint",
                            level=i + 1,
                            total=len(hints),
                            text=hints[i].get(lang),
                        )
                    )
                    for i in range(min(self.step.hints, len(hints)))
                ]
            )
        )
        self.query_one("#iv-coding-results", Static).update(self._render_results())
        self._show_clock()

    def _render_asked(self) -> RenderableType:
        if not self.step.clarifications:
            return ""
        items = self.exercise.meta.interview.clarifications
        rows: list[RenderableType] = [Text(self.tr("iv.tui.coding.asked"), style="bold")]
        for chosen in self.step.clarifications:
            rows.append(Text(f" ? {items[chosen].question.get(self.kd.lang)}"))
            rows.append(
                Text(
                    "   "
                    + self.tr("iv.interviewer", answer=items[chosen].answer.get(self.kd.lang)),
                    style="cyan",
                )
            )
        return Group(*rows)

    def _render_results(self) -> RenderableType:
        rows: list[RenderableType] = (
            [Text(self.status_line, style="bold")] if self.status_line else []
        )
        last = self.step.runs[-1] if self.step.runs and not self.running else None
        if last is not None and not self.grading_final:
            for names, detail in ivscore.group_failures(last.failing):
                rows.extend(Text(f"✗ {name}", style="red") for name in names)
                if detail:
                    rows.append(Text(f"   {detail}"))
            if last.message and not last.failing:
                rows.append(Text(last.message, style="red"))
        return Group(*rows)
