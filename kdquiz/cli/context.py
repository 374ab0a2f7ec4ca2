"""State shared by every command (language, content tree) and the one way commands fail."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import Content
    from kdquiz.core.progress import ProgressError, ProgressStore

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


@dataclass
class CliState:
    """Options given before the command."""

    lang: str = "en"
    content_dir: Path | None = None


STATE = CliState()  # filled in by the main callback, never at import time


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print a one-line error (no traceback) and exit with ``code``."""
    typer.echo(t("error.line", STATE.lang, message=message), err=True)
    raise typer.Exit(code)


def out(text: str = "") -> None:
    typer.echo(text)


def load_checked_content(allow_problems: bool = False, questions: bool = True) -> Content:
    """Load the content tree, failing with exit 2 if it is missing or (unless allowed) broken.

    ``questions=False`` loads only the exercises: what exercise commands and grading need (a
    broken or large question bank then neither stops nor slows them)."""
    from kdquiz.core import locations
    from kdquiz.core.content import load_content

    root = locations.content_root(STATE.content_dir)
    if not root.is_dir():
        fail(t("content.missing", STATE.lang, path=root))
    content = load_content(root, questions=questions)
    from kdquiz.core import gcpolicy

    gcpolicy.freeze_once()  # what was loaded lives as long as the command
    if not allow_problems and content.errors:
        for problem in content.errors[:5]:
            typer.echo(str(problem), err=True)
        fail(t("content.broken", STATE.lang, count=len(content.errors)))
    return content


def warm_worker() -> Any:
    """The warm grading worker for this command (it starts importing torch at once)."""
    from kdquiz.grading import worker

    return worker.start()


def open_progress() -> ProgressStore:
    """The progress store (open it once per command), or a one-line error (exit 2) that says what
    to do. While another process holds the lock, a line on stderr says so."""
    from kdquiz.core.progress import ProgressError, open_store

    try:
        store = open_store()
    except ProgressError as exc:
        fail(exc.message(STATE.lang))
    store.on_wait = lambda notice: typer.echo(notice.message(STATE.lang), err=True)
    return store


def store_failed(exc: ProgressError) -> NoReturn:
    """Fail with a store error in the learner's language."""
    fail(exc.message(STATE.lang))


def stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def close_store(store: ProgressStore) -> None:
    """Save what a busy database kept waiting, or say plainly that it was not saved."""
    from kdquiz.core.i18n import t
    from kdquiz.core.progress import ProgressError

    try:
        store.flush(60.0)
        reason = t("daily.store.busy", STATE.lang, path=store.path)
    except ProgressError as exc:
        reason = exc.message(STATE.lang)
    except KeyboardInterrupt:
        reason = t("daily.quiz.interrupted", STATE.lang)
    if store.unsaved:
        typer.echo(
            t("daily.store.unsaved", STATE.lang, count=store.unsaved, reason=reason), err=True
        )
    store.close()
