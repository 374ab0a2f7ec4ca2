"""An embedded editor for learners who would rather stay in the app (Python highlighting)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, TextArea

from kdquiz.tui.screens.base import KdScreen


def next_line_indent(line_before_cursor: str, indent_width: int = 4) -> str:
    """The indentation a new line starts with: the current line's, one level more after a ':'."""
    indent = line_before_cursor[: len(line_before_cursor) - len(line_before_cursor.lstrip())]
    if line_before_cursor.split("#", 1)[0].rstrip().endswith(":"):
        indent += " " * indent_width
    return indent


class PythonArea(TextArea):
    """A code editor that keeps the indentation on Enter (one level more after a ':')."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            row, column = self.cursor_location
            indent = next_line_indent(self.document[row][:column], self.indent_width)
            start, end = self.selection
            self.replace("\n" + indent, start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)


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
        yield PythonArea.code_editor(
            self.path.read_text(encoding="utf-8"), language="python", id="editor"
        )
        yield Footer()

    def relabel(self) -> None:
        self.sub_title = str(self.path)

    def action_save(self) -> None:
        # A priority binding runs as its key arrives, while keys typed just before it may still
        # wait in the editor's queue: save once they are in (a paste then Ctrl+S loses nothing).
        self.query_one(TextArea).call_later(self._save)

    def _save(self) -> None:
        text = self.query_one(TextArea).text
        tmp = self.path.with_suffix(".py.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a file
        if self.on_save is not None:
            self.on_save()

    def action_back(self) -> None:
        self.query_one(TextArea).call_later(self._back)  # after the keys typed before it

    def _back(self) -> None:
        if self.query_one(TextArea).text != self.path.read_text(encoding="utf-8"):
            self._save()
        self.dismiss()
