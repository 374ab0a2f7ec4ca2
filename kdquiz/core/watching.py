"""Seeing every save of a learner's file, whatever the editor does.

Editors save in different ways: in place (nano, VS Code by default), by writing a new file and
renaming it over the old one (vim with ``backupcopy=no``, ``sed -i``, JetBrains and VS Code "safe
write", the app's own editor), or by deleting and re-creating it. A watch on the *file* follows one
inode and goes silent after the first rename; so kdquiz watches the file's *folder* and matches the
name, and reports a save only when the content really changed (its sha256, the same digest the
grader records), so a burst of saves gives one report for the last content.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path


def digest(path: Path) -> str | None:
    """The sha256 of the file's text as the grader hashes it (UTF-8), or None if unreadable."""
    try:
        return hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    except (OSError, UnicodeDecodeError):
        return None


def saves(
    path: Path,
    stop: threading.Event | None = None,
    *,
    debounce_ms: int = 50,
    timeout_ms: int = 500,
    since: str | None = None,
) -> Iterator[str]:
    """Yield the new digest each time ``path`` is saved with content different from the last one
    seen (a deleted file is waited for until it is created again). Stops when ``stop`` is set.

    ``since`` is the digest of the content already handled (default: the file as it is when the
    watch starts). The content is also compared on every quiet tick, so a save made before the
    watch was armed (between a check and the first iteration) is not missed."""
    from watchfiles import watch

    name = path.name
    last = since if since is not None else digest(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for _changes in watch(
        path.parent,
        watch_filter=lambda _change, changed: Path(changed).name == name,
        debounce=debounce_ms,
        step=20,
        stop_event=stop,
        rust_timeout=timeout_ms,
        yield_on_timeout=True,
        recursive=False,
    ):
        now = digest(path)
        if now is None or now == last:
            continue
        last = now
        yield now
