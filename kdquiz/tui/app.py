"""The Textual app: the composition root. Screens live in ``screens/``, widgets in ``widgets/``;
both call the same core functions as the CLI."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding

from kdquiz.core.i18n import t
from kdquiz.tui import cjk
from kdquiz.tui.messages import ContentLoaded, LanguageChanged
from kdquiz.tui.screens.home import HomeScreen

cjk.enable()  # Chinese lines break between characters, not only at spaces


class KdquizApp(App[None]):
    """kdquiz in the terminal."""

    TITLE = "kdquiz"
    CSS_PATH = "kdquiz.tcss"
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_language", "中文/EN", priority=True),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, lang: str = "en", content_dir: Path | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.content_dir = content_dir
        self.content: Any = None
        self.content_error = ""
        self._grader: Any = None
        self._store: Any = None
        self._store_lock = threading.Lock()
        self._writes: deque[Callable[[Any], object]] = deque()
        self._writing = threading.Lock()
        self.unsaved_report = ""
        """Said on the terminal after the app closes if a busy database kept writes unsaved."""
        self.fixed_now: datetime | None = None  # tests freeze the clock here
        self.interview_clock: Any = (
            None  # the interview's clock (None: the real one; tests fake it)
        )

    def now(self) -> datetime:
        """The current time (frozen in tests, so screens with dates are reproducible)."""
        return self.fixed_now or datetime.now(timezone.utc)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        self.load_content()

    @work(thread=True, exclusive=True, group="content")
    def load_content(self) -> None:
        """Load and validate the content off the UI thread."""
        from kdquiz.core import locations
        from kdquiz.core.content import load_content

        root = locations.content_root(self.content_dir)
        content = load_content(root)
        error = str(content.errors[0]) if content.errors else ""
        self.call_from_thread(self.post_message, ContentLoaded(content, error))

    def on_content_loaded(self, message: ContentLoaded) -> None:
        from kdquiz.core import gcpolicy

        self.content = message.content
        gcpolicy.freeze_once()  # the app's modules and the bank live as long as the app
        self.content_error = message.error
        for screen in self.screen_stack:
            screen.post_message(LanguageChanged())

    def action_help(self) -> None:
        from kdquiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_language(self) -> None:
        from kdquiz.core.settings import load_settings, save_settings

        self.lang = "zh" if self.lang == "en" else "en"
        settings = load_settings()
        settings.lang = self.lang
        try:
            save_settings(settings)
        except OSError:
            pass
        for screen in self.screen_stack:
            screen.post_message(LanguageChanged())
        self.refresh_bindings()

    def progress_store(self) -> Any:
        """The progress store, opened once and shared by every screen (thread-safe: call it from
        worker threads, never write on the UI thread). Raises ProgressError if it cannot be
        opened; the next call tries again."""
        with self._store_lock:
            if self._store is None:
                from kdquiz.core.progress import open_store

                store = open_store()
                store.on_wait = lambda notice: self.call_from_thread(
                    self.notify, notice.message(self.lang), severity="warning", timeout=8
                )
                self._store = store
            return self._store

    def queue_write(self, write: Callable[[Any], object]) -> None:
        """Run ``write(store)`` off the UI thread, after every write queued before it (a hint
        before the check that passes: the order decides the rating). A store error never closes
        or hangs the app: the learner is told, and a write a busy database refused is kept and
        retried by the next one, and when the app closes."""
        self._writes.append(write)
        self.run_worker(self._drain_writes, thread=True, group="store-write")

    def _drain_writes(self) -> None:
        with self._writing:
            while self._writes:
                self._run_write(self._writes.popleft())

    def _run_write(self, write: Callable[[Any], object]) -> None:
        from kdquiz.core.progress import ProgressError

        try:
            if write(self.progress_store()) is False:
                self._tell(t("daily.store.kept", self.lang), "warning")
        except ProgressError as exc:
            self._tell(exc.message(self.lang), "error")

    def _tell(self, message: str, severity: str) -> None:
        try:
            self.call_from_thread(self.notify, message, severity=severity, timeout=10)
        except RuntimeError:  # the app is closing: _close_store reports what is unsaved
            pass

    def _close_store(self) -> None:
        """Save what is queued or kept for a busy database (a few seconds at most), then close;
        what could not be saved is reported on the terminal after the app exits."""
        from kdquiz.core.progress import ProgressError

        if self._store is not None:
            self._store.stop_waiting()  # a write waiting in a worker gives up and stays kept
        with self._writing:
            remaining = list(self._writes)
            self._writes.clear()
            store, self._store = self._store, None
            if store is None and remaining:
                try:
                    store = self.progress_store()
                except ProgressError as exc:
                    self.unsaved_report = t(
                        "daily.store.unsaved",
                        self.lang,
                        count=len(remaining),
                        reason=exc.message(self.lang),
                    )
                    return
                self._store = None
            if store is None:
                return
            store.on_wait = None
            store.patience = 0.0  # queued writes: kept at once if busy, flushed below
            for write in remaining:
                try:
                    write(store)
                except ProgressError:
                    pass  # kept: counted below
            left, error = store.shutdown(5.0)
        if left:
            reason = (
                error.message(self.lang)
                if error
                else t("daily.store.busy", self.lang, path=store.path)
            )
            self.unsaved_report = t("daily.store.unsaved", self.lang, count=left, reason=reason)

    @property
    def grader(self) -> Any:
        """The warm grading worker, started on first use and shared by every check."""
        if self._grader is None:
            from kdquiz.grading.service import GradingService

            self._grader = GradingService()
        return self._grader

    def on_unmount(self) -> None:
        if self._grader is not None:
            self._grader.close()
        self._close_store()
