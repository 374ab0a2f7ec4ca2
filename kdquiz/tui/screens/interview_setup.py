"""Start a mock interview: its length, topic, level and (optionally) seed; or resume the last
unfinished one."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from kdquiz.core import interview as core
from kdquiz.core import interview_plan as ivplan
from kdquiz.tui.screens.base import KdScreen


class InterviewSetupScreen(KdScreen):
    """Ctrl+S (or the button) starts; Ctrl+R resumes an unfinished session."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("ctrl+r", "resume", "Resume", priority=True),
    ]
    KEY_LABELS = {"start": "iv.tui.key.start", "resume": "iv.tui.key.resume"}

    def __init__(self) -> None:
        super().__init__()
        self.unfinished: core.Session | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup"):
            yield Label(id="iv-setup-title", classes="title")
            yield Static(id="iv-setup-intro", classes="dim")
            with Horizontal(classes="field"):
                yield Label(id="iv-label-minutes", classes="field-label")
                yield Input(str(core.DEFAULT_MINUTES), id="iv-minutes", type="integer")
            with Horizontal(classes="field"):
                yield Label(id="iv-label-topic", classes="field-label")
                yield Select([], id="iv-topic", allow_blank=True)
            with Horizontal(classes="field"):
                yield Label(id="iv-label-level", classes="field-label")
                yield Select(
                    [("1", 1), ("2", 2), ("3", 3)],
                    id="iv-level",
                    allow_blank=False,
                    value=core.DEFAULT_LEVEL,
                )
            with Horizontal(classes="field"):
                yield Label(id="iv-label-seed", classes="field-label")
                yield Input(id="iv-seed", type="integer")
            yield Button(id="setup-start", variant="primary")
            yield Static(id="iv-setup-resume", classes="subtitle")
        yield Footer()

    def on_mount(self) -> None:
        self.unfinished = core.resumable()
        super().on_mount()
        self.refresh_bindings()
        self.query_one("#iv-minutes", Input).focus()

    def relabel(self) -> None:
        content, lang = self.kd.content, self.kd.lang
        self.query_one("#iv-setup-title", Label).update(self.tr("iv.tui.setup.title"))
        self.query_one("#iv-setup-intro", Static).update(self.tr("iv.tui.setup.intro"))
        for name in ("minutes", "topic", "level", "seed"):
            self.query_one(f"#iv-label-{name}", Label).update(self.tr(f"iv.tui.setup.{name}"))
        self.query_one("#setup-start", Button).label = self.tr("iv.tui.key.start")
        topic = self.query_one("#iv-topic", Select)
        topic.prompt = self.tr("iv.tui.setup.any")
        current = topic.value
        topic.set_options(
            [(content.topic_title(slug, lang), slug) for slug in sorted(content.topics)]
        )
        if current is not Select.NULL and current in content.topics:
            topic.value = current
        resume = self.query_one("#iv-setup-resume", Static)
        if self.unfinished is not None:
            done = sum(step.done for step in self.unfinished.steps)
            resume.update(
                self.tr(
                    "iv.tui.setup.resume",
                    id=self.unfinished.id,
                    done=done,
                    total=len(self.unfinished.steps),
                )
            )
        resume.display = self.unfinished is not None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            self.action_start()

    def action_start(self) -> None:
        raw = self.query_one("#iv-minutes", Input).value.strip()
        minutes = int(raw) if raw.isdigit() else 0
        if not core.MIN_MINUTES <= minutes <= core.MAX_MINUTES:
            self.notify(
                self.tr("iv.tui.setup.bad_minutes", low=core.MIN_MINUTES, high=core.MAX_MINUTES),
                severity="warning",
            )
            return
        topic: Any = self.query_one("#iv-topic", Select).value
        level: Any = self.query_one("#iv-level", Select).value
        seed_raw = self.query_one("#iv-seed", Input).value.strip()
        seed = int(seed_raw) if seed_raw.lstrip("-").isdigit() else None
        weakness: dict[str, float] = {}
        if seed is None:
            store = self.store()  # the app's own store: a quick read, kept open
            if store is not None:
                weakness = ivplan.weakness_by_topic(store, self.kd.content)
        try:
            session = ivplan.plan_session(
                self.kd.content,
                minutes=minutes,
                level=int(level) if level is not Select.NULL else core.DEFAULT_LEVEL,
                topic="" if topic is Select.NULL else str(topic),
                seed=seed,
                weakness=weakness,
                lang=self.kd.lang,
            )
        except core.InterviewError as exc:
            self.notify(exc.message(self.kd.lang), severity="error")
            return
        core.save(session)
        self._open(session)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.unfinished is not None if action == "resume" else True

    def action_resume(self) -> None:
        if self.unfinished is not None:
            self.unfinished.lang = self.kd.lang
            self._open(self.unfinished)

    def _open(self, session: core.Session) -> None:
        from kdquiz.tui.screens.interview import InterviewScreen

        self.app.switch_screen(InterviewScreen(session, self.kd.interview_clock))
