"""Home: what is due today, the streak, mastery at a glance, and the way into everything."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from kdquiz.tui.screens.base import KdScreen
from kdquiz.tui.widgets.mastery import MasteryBars


class HomeScreen(KdScreen):
    """The first screen."""

    KEY_LABELS = {
        "review": "tui.key.review",
        "custom": "tui.key.quiz",
        "exercises": "tui.key.exercises",
        "interview": "iv.tui.key.interview",
        "progress": "tui.key.progress",
        "settings": "tui.key.settings",
    }

    BINDINGS = [
        Binding("r", "review", "Review due"),
        Binding("c", "custom", "Quiz"),
        Binding("e", "exercises", "Exercises"),
        Binding("i", "interview", "Interview"),
        Binding("p", "progress", "Progress"),
        Binding("s", "settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="home-title", classes="title")
            yield Static(id="home-due")
            yield Static(id="home-exercises")
            yield Static(id="home-mastery-title", classes="subtitle")
            yield MasteryBars(id="home-mastery")
            yield Static(id="home-error", classes="error")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.refresh_stats()

    def relabel(self) -> None:
        app: Any = self.kd
        self.query_one("#home-title", Static).update(app.t("tui.home.title"))
        self.query_one("#home-mastery-title", Static).update(app.t("tui.home.mastery"))
        if app.content is None:
            self.query_one("#home-due", Static).update(app.t("tui.home.loading"))
            return
        self.query_one("#home-error", Static).update(
            app.t("tui.home.broken", first=app.content_error) if app.content_error else ""
        )
        self.refresh_stats()

    @work(thread=True, exclusive=True, group="home-stats")
    def refresh_stats(self) -> None:
        app: Any = self.kd
        if app.content is None:
            return
        from kdquiz.core.progress import ProgressError
        from kdquiz.core.stats import compute

        try:
            stats = compute(app.progress_store(), app.content, now=app.now(), lang=app.lang)
        except ProgressError as exc:
            message = exc.message(app.lang)
            self.app.call_from_thread(self.query_one("#home-error", Static).update, message)
            return
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: Any) -> None:
        from kdquiz.core.stats import days_text, retention_text

        app: Any = self.kd
        self.query_one("#home-due", Static).update(
            app.t(
                "daily.home.due",
                due=stats.due_today,
                new=stats.new,
                streak=days_text(stats.streak, app.lang),
                retention=retention_text(stats, app.lang),
            )
        )
        self.query_one("#home-exercises", Static).update(
            app.t("tui.home.exercises", passed=stats.exercises_passed, total=stats.exercises_total)
        )
        self.query_one("#home-mastery", MasteryBars).show(stats.topics)

    def _ready(self) -> bool:
        app: Any = self.kd
        return app.content is not None

    def action_review(self) -> None:
        from kdquiz.tui.screens.quiz import QuizScreen

        if self._ready():
            self.app.push_screen(QuizScreen(review=True))

    def action_custom(self) -> None:
        from kdquiz.tui.screens.quiz_setup import QuizSetupScreen

        if self._ready():
            self.app.push_screen(QuizSetupScreen())

    def action_exercises(self) -> None:
        from kdquiz.tui.screens.exercises import ExercisesScreen

        if self._ready():
            self.app.push_screen(ExercisesScreen())

    def action_interview(self) -> None:
        from kdquiz.tui.screens.interview_setup import InterviewSetupScreen

        if self._ready():
            self.app.push_screen(InterviewSetupScreen())

    def action_progress(self) -> None:
        from kdquiz.tui.screens.progress import ProgressScreen

        if self._ready():
            self.app.push_screen(ProgressScreen())

    def action_settings(self) -> None:
        from kdquiz.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
