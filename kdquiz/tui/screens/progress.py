"""Progress: mastery per topic, the review history as a chart, exercise completion, and the
weakest topics with a way to practise them."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from kdquiz.tui.screens.base import KdScreen
from kdquiz.tui.widgets.barchart import HistoryChart
from kdquiz.tui.widgets.mastery import MasteryBars


class ProgressScreen(KdScreen):
    """w practises the weakest topics."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("w", "practise", "Practise weakest")]
    KEY_LABELS = {"practise": "tui.key.practise"}

    def __init__(self) -> None:
        super().__init__()
        self.stats: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress"):
            yield Static(id="progress-summary", classes="subtitle")
            yield Static(id="progress-history-title", classes="subtitle")
            yield HistoryChart(id="progress-history")
            yield Static(id="progress-forecast-title", classes="subtitle")
            yield Static(id="progress-forecast")
            yield Static(id="progress-mastery-title", classes="subtitle")
            yield MasteryBars(id="progress-mastery")
            yield Static(id="progress-weakest")
            yield Static(id="progress-definitions", classes="dim")
        yield Footer()

    def relabel(self) -> None:
        self.query_one("#progress-history-title", Static).update(self.tr("tui.progress.history"))
        self.query_one("#progress-mastery-title", Static).update(self.tr("tui.home.mastery"))
        self.load()

    @work(thread=True, exclusive=True, group="progress")
    def load(self) -> None:
        from kdquiz.core.progress import ProgressError
        from kdquiz.core.stats import compute

        store = self.store()
        if store is None:
            return
        try:
            stats = compute(store, self.kd.content, now=self.kd.now(), lang=self.kd.lang)
        except ProgressError as exc:
            self._tell(exc.message(self.kd.lang))
            return
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: Any) -> None:
        from rich.text import Text

        from kdquiz.core.stats import days_text, forecast_chart, retention_text

        self.stats = stats
        lang = self.kd.lang
        self.query_one("#progress-summary", Static).update(
            self.tr(
                "daily.home.due",
                due=stats.due_today,
                new=stats.new,
                streak=days_text(stats.streak, lang),
                retention=retention_text(stats, lang),
            )
            + "\n"
            + self.tr(
                "tui.home.exercises", passed=stats.exercises_passed, total=stats.exercises_total
            )
        )
        self.query_one("#progress-history", HistoryChart).show(stats.history)
        self.query_one("#progress-forecast-title", Static).update(
            self.tr("daily.forecast.title", days=len(stats.forecast))
        )
        self.query_one("#progress-forecast", Static).update(Text(forecast_chart(stats.forecast)))
        self.query_one("#progress-mastery", MasteryBars).show(stats.topics)
        weakest = ", ".join(t.title for t in stats.weakest())
        self.query_one("#progress-weakest", Static).update(
            self.tr("tui.progress.weakest", topics=weakest)
        )
        self.query_one("#progress-definitions", Static).update(
            self.tr("daily.mastery.definition") + "\n" + self.tr("daily.retention.definition")
        )

    def action_practise(self) -> None:
        from kdquiz.core.session import practise_weakest
        from kdquiz.core.settings import load_settings
        from kdquiz.tui.screens.quiz import QuizScreen

        if self.stats is None:
            return
        topics = [t.topic for t in self.stats.weakest()]
        chosen = practise_weakest(self.kd.content, topics, load_settings().session_size)
        self.app.push_screen(QuizScreen(questions=chosen))
