"""What every kdquiz screen shares: its words follow the app's language, footer keys included."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, ClassVar

from textual.screen import Screen

from kdquiz.tui.messages import LanguageChanged


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
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                dataclasses.replace(b, description=self.tr(labels[b.action]))
                if b.action in labels
                else b
                for b in bindings
            ]
        self.refresh_bindings()

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
