"""Choose a custom quiz: topic, difficulty, kind and count."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select

from kdquiz.core import quiz as core
from kdquiz.tui.screens.base import KdScreen

KINDS = ("single", "multiple", "short", "numeric", "code")


class QuizSetupScreen(KdScreen):
    """A small form; Start opens the quiz with the questions that match."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+s", "start", "Start")]
    KEY_LABELS = {"start": "tui.key.start"}

    def __init__(self, topics: list[str] | None = None) -> None:
        super().__init__()
        self.preset_topics = topics

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup"):
            yield Label(id="setup-title", classes="title")
            with Horizontal(classes="field"):
                yield Label(id="label-topic", classes="field-label")
                yield Select([], id="setup-topic", allow_blank=True)
            with Horizontal(classes="field"):
                yield Label(id="label-difficulty", classes="field-label")
                yield Select(
                    [("1", 1), ("2", 2), ("3", 3)], id="setup-difficulty", allow_blank=True
                )
            with Horizontal(classes="field"):
                yield Label(id="label-kind", classes="field-label")
                yield Select([], id="setup-kind", allow_blank=True)
            with Horizontal(classes="field"):
                yield Label(id="label-count", classes="field-label")
                yield Input("10", id="setup-count", type="integer")
            yield Button(id="setup-start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        from kdquiz.core.settings import load_settings

        self.query_one("#setup-count", Input).value = str(load_settings().session_size)
        super().on_mount()
        if self.preset_topics:
            self.query_one("#setup-topic", Select).value = self.preset_topics[0]

    def relabel(self) -> None:
        content, lang = self.kd.content, self.kd.lang
        self.query_one("#setup-title", Label).update(self.tr("tui.quiz.custom"))
        self.query_one("#label-topic", Label).update(self.tr("tui.quiz.topic"))
        self.query_one("#label-difficulty", Label).update(self.tr("tui.quiz.difficulty"))
        self.query_one("#label-kind", Label).update(self.tr("tui.quiz.kind"))
        self.query_one("#label-count", Label).update(self.tr("tui.quiz.count"))
        self.query_one("#setup-start", Button).label = self.tr("tui.key.start")
        for select_id in ("#setup-topic", "#setup-difficulty", "#setup-kind"):
            self.query_one(select_id, Select).prompt = self.tr("tui.quiz.any")
        topic = self.query_one("#setup-topic", Select)
        current = topic.value
        topic.set_options(
            [(content.topic_title(slug, lang), slug) for slug in sorted(content.topics)]
        )
        if current is not Select.NULL and current in content.topics:
            topic.value = current
        kind = self.query_one("#setup-kind", Select)
        current_kind = kind.value
        kind.set_options([(self.tr(f"tui.kind.{k}"), k) for k in KINDS])
        if current_kind is not Select.NULL:
            kind.value = current_kind

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            self.action_start()

    def action_start(self) -> None:
        from kdquiz.tui.screens.quiz import QuizScreen

        def value(widget_id: str) -> object | None:
            selected = self.query_one(widget_id, Select).value
            return None if selected is Select.NULL else selected

        topic, difficulty, kind = (
            value("#setup-topic"),
            value("#setup-difficulty"),
            value("#setup-kind"),
        )
        raw = self.query_one("#setup-count", Input).value
        count = int(raw) if raw.isdigit() and int(raw) > 0 else 10
        chosen = core.select_questions(
            list(self.kd.content.questions.values()),
            topics=[str(topic)] if topic else (self.preset_topics or None),
            difficulties=[int(str(difficulty))] if difficulty else None,
            types=[str(kind)] if kind else None,
            count=count,
        )
        if not chosen:
            self.notify(self.tr("tui.quiz.none"), severity="warning")
            return
        self.app.switch_screen(QuizScreen(questions=chosen))
