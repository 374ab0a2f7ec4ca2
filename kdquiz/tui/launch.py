"""Start the Textual app: in this terminal (a bare ``kdquiz``) or in browsers (``kdquiz serve``).

The CLI reaches the app only through this module (an import contract, docs/architecture.md)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def launch(lang: str, content_dir: Path | None) -> None:
    from kdquiz.tui.app import KdquizApp

    app = KdquizApp(lang=lang, content_dir=content_dir)
    app.run()
    if app.unsaved_report:
        print(app.unsaved_report, file=sys.stderr)


def app_command(lang: str, content_dir: Path | None) -> str:
    """The command that starts one app session (textual-serve runs it once per browser tab)."""
    argv = [sys.executable, "-m", "kdquiz", "--lang", lang]
    if content_dir is not None:
        argv += ["--content", str(Path(content_dir).resolve())]
    return shlex.join(argv)


def serve(lang: str, content_dir: Path | None, host: str, port: int) -> None:
    """Serve the app over HTTP until Ctrl+C: each browser tab gets its own app process."""
    from textual_serve.server import Server

    Server(app_command(lang, content_dir), host=host, port=port, title="kdquiz").serve()
