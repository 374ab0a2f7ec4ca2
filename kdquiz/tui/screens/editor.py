"""An embedded editor for learners who would rather stay in the app (Python highlighting)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, TextArea

from kdquiz.tui.screens.base import KdScreen


class EditorScreen(KdScreen):
    """Ctrl+S saves (which also re-checks, through the file watcher); Escape goes back."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back", priority=True),
    ]
    KEY_LABELS = {"save": "tui.key.save"}

    def __init__(self, path: Path, on_save: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.path = path
        self.on_save = on_save

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea.code_editor(
            self.path.read_text(encoding="utf-8"), language="python", id="editor"
        )
        yield Footer()

    def relabel(self) -> None:
        self.sub_title = str(self.path)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        tmp = self.path.with_suffix(".py.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a file
        if self.on_save is not None:
            self.on_save()

    def action_back(self) -> None:
        if self.query_one(TextArea).text != self.path.read_text(encoding="utf-8"):
            self.action_save()
        self.dismiss()
