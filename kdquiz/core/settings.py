"""The learner's saved settings (language, workspace, editor, session size).

A small JSON file in the data directory, written atomically. A damaged file is reported and
ignored (the defaults apply) but never overwritten until the learner saves new settings.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from kdquiz.core import locations


@dataclass
class Settings:
    """What the learner chose in Settings (or with --lang)."""

    lang: str = ""
    """'en' or 'zh'; empty means: from KDQUIZ_LANG or the locale."""
    workspace: str = ""
    """Folder for exercise files; empty means ~/kdquiz-workspace."""
    editor: str = ""
    """Command that opens a file, used after $VISUAL and $EDITOR; then the first of
    :data:`FALLBACK_EDITORS` on PATH."""
    session_size: int = 10
    """Questions per quiz session."""


def load_settings(path: Path | None = None) -> Settings:
    path = path or locations.settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in raw.items() if k in known})
    if settings.lang not in ("", "en", "zh"):
        settings.lang = ""
    if not isinstance(settings.session_size, int) or not 1 <= settings.session_size <= 200:
        settings.session_size = 10
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


FALLBACK_EDITORS = ("nano", "vim", "vi", "micro", "emacs")
"""Tried in this order, after $VISUAL, $EDITOR and the setting, when none of those is set."""


def resolve_editor(settings: Settings) -> tuple[list[str] | None, list[str]]:
    """The command that opens a file: $VISUAL, $EDITOR, the setting, then the first of
    :data:`FALLBACK_EDITORS` that exists on PATH. Returns (argv or None, what was tried), so a
    face can say which editors it looked for when none exists."""
    import shlex
    import shutil

    tried: list[str] = []
    chosen = [os.environ.get("VISUAL", ""), os.environ.get("EDITOR", ""), settings.editor]
    for command in [c for c in chosen if c.strip()] + list(FALLBACK_EDITORS):
        try:
            argv = shlex.split(command)
        except ValueError:
            tried.append(command)
            continue
        tried.append(command)
        if argv and shutil.which(argv[0]):
            return argv, tried
    return None, tried


def editor_command(settings: Settings) -> str:
    """The editor command as one string (see :func:`resolve_editor`); 'nano' if none exists."""
    argv, _tried = resolve_editor(settings)
    return " ".join(argv) if argv else "nano"
