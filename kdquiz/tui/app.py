"""The Textual app: a composition root. (A first screen; the full app is tracked in issue 6.)"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from kdquiz.core.i18n import t


class KdquizApp(App[None]):
    """kdquiz in the terminal."""

    TITLE = "kdquiz"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, lang: str = "en", content_dir: Path | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.content_dir = content_dir

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("tui.placeholder", self.lang), id="placeholder")
        yield Footer()
