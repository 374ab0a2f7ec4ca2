"""Start the Textual app (imported only when a bare ``kdquiz`` runs)."""

from __future__ import annotations

from pathlib import Path


def launch(lang: str, content_dir: Path | None) -> None:
    import sys

    from kdquiz.tui.app import KdquizApp

    app = KdquizApp(lang=lang, content_dir=content_dir)
    app.run()
    if app.unsaved_report:
        print(app.unsaved_report, file=sys.stderr)
