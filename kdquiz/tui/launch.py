"""Start the Textual app (imported only when a bare ``kdquiz`` runs)."""

from __future__ import annotations

from pathlib import Path


def launch(lang: str, content_dir: Path | None) -> None:
    from kdquiz.tui.app import KdquizApp

    KdquizApp(lang=lang, content_dir=content_dir).run()
