"""What every kdquiz screen shares: its words follow the app's language, footer keys included."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from textual.screen import Screen

from kdquiz.tui.messages import LanguageChanged
from kdquiz.tui.textual_compat import relabel_bindings


class KdScreen(Screen[Any]):
    """A screen whose texts (and footer key labels) are re-rendered when the language changes."""

    #: action name -> i18n key for the footer label of that binding
    KEY_LABELS: ClassVar[dict[str, str]] = {}

    @property
    def kd(self) -> Any:
        """The app, typed loosely (screens use its content, language and services)."""
        return self.app

    def tr(self, key: str, **values: object) -> str:
        return self.kd.t(key, **values)

    def on_mount(self) -> None:
        self._fit_footer()
        self._localize_bindings()
        self.relabel()

    def _fit_footer(self) -> None:
        """Keep Quit and the language switch in the footer at 80 columns: no command-palette
        entry (kdquiz does not use the palette), and compact spacing."""
        from textual.widgets import Footer

        for footer in self.query(Footer):
            footer.show_command_palette = False
            footer.compact = True

    def on_language_changed(self, _message: LanguageChanged) -> None:
        self._localize_bindings()
        self.relabel()

    def relabel(self) -> None:
        """Re-render every text on the screen in the current language."""

    def _localize_bindings(self) -> None:
        labels = {
            **{"app.help": "tui.key.help", "app.quit": "tui.key.quit", "back": "tui.key.back"},
            **self.KEY_LABELS,
        }
        relabel_bindings(self, lambda action: self.tr(labels[action]) if action in labels else None)

    def store(self) -> Any:
        """The app's one progress store, or None after telling the learner why it cannot be
        opened. Call it from worker threads only (it may wait for another process's lock)."""
        from kdquiz.core.progress import ProgressError

        try:
            return self.kd.progress_store()
        except ProgressError as exc:
            self._tell(exc.message(self.kd.lang))
            return None

    def _tell(self, message: str) -> None:
        if self.app._thread_id == threading.get_ident():
            self.notify(message, severity="error", timeout=10)
        else:
            self.app.call_from_thread(self.notify, message, severity="error", timeout=10)

    def save(self, write: Callable[[Any], object]) -> None:
        """Run ``write(store)`` off the UI thread, in order with every other write (see
        :meth:`KdquizApp.queue_write`)."""
        self.kd.queue_write(write)

    def action_back(self) -> None:
        self.dismiss()
