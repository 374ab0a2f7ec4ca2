"""What every kdquiz screen shares: its words follow the app's language, footer keys included."""

from __future__ import annotations

import threading
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
        self._localize_bindings()
        self.relabel()

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

    def open_store(self) -> Any:
        """The progress store, or None after telling the learner why it cannot be opened.
        Safe to call from a worker thread."""
        from kdquiz.core.progress import ProgressError, open_store

        try:
            return open_store()
        except ProgressError as exc:
            if self.app._thread_id == threading.get_ident():
                self.notify(str(exc), severity="error")
            else:
                self.app.call_from_thread(self.notify, str(exc), severity="error")
            return None

    def action_back(self) -> None:
        self.dismiss()
