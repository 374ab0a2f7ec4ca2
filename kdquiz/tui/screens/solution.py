"""After a pass: the reference solution beside the learner's code."""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from kdquiz.tui.screens.base import KdScreen


class SolutionScreen(KdScreen):
    """Two columns: yours and the reference."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, mine: Path, reference: Path) -> None:
        super().__init__()
        self.mine, self.reference = mine, reference

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="solution"):
            with VerticalScroll(classes="half"):
                yield Static(id="mine-title", classes="subtitle")
                yield Static(id="mine")
            with VerticalScroll(classes="half"):
                yield Static(id="reference-title", classes="subtitle")
                yield Static(id="reference")
        yield Footer()

    def relabel(self) -> None:
        dark = getattr(self.app.current_theme, "dark", True)
        theme = "monokai" if dark else "default"
        self.query_one("#mine-title", Static).update(self.tr("tui.ex.yours"))
        self.query_one("#reference-title", Static).update(self.tr("tui.ex.reference"))
        for widget_id, path in (("#mine", self.mine), ("#reference", self.reference)):
            code = path.read_text(encoding="utf-8") if path.exists() else ""
            self.query_one(widget_id, Static).update(
                Syntax(code, "python", theme=theme, line_numbers=True)
            )
