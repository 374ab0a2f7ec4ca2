"""Every path kdquiz reads or writes, resolved in one place.

Nothing here touches the disk at import time. Environment variables override each location so
that tests (and people who keep their data elsewhere) never touch the real home directory:

- ``KDQUIZ_HOME``: the data directory (progress database, settings).
- ``KDQUIZ_CONTENT``: a content tree (``questions/``, ``exercises/``, ``solutions/``) used instead
  of the bundled one.
- ``KDQUIZ_WORKSPACE``: where learners' exercise files live.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "kdquiz"
TREE_FILE = "kdquiz.yaml"
"""The file that makes a folder an instructor's content tree."""


def package_dir() -> Path:
    """The directory of the installed ``kdquiz`` package."""
    return Path(__file__).resolve().parent.parent


def bundled_content_root() -> Path:
    """The content shipped with kdquiz.

    In a wheel the content lives in ``kdquiz/_content``; in a checkout (or an editable install) it
    is the repository root, next to the package.
    """
    inside = package_dir() / "_content"
    if (inside / "questions").is_dir():
        return inside
    return package_dir().parent


def content_root(override: str | Path | None = None) -> Path:
    """The content tree to use: an explicit ``--content``, then ``KDQUIZ_CONTENT``, then the
    current folder when it holds a ``kdquiz.yaml`` (an instructor's tree), then bundled."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("KDQUIZ_CONTENT")
    if env:
        return Path(env).expanduser().resolve()
    here = Path.cwd()
    if (here / TREE_FILE).is_file():
        return here.resolve()
    return bundled_content_root()


def explicit_content(override: str | Path | None = None) -> bool:
    """Whether the content tree was chosen (``--content``, ``KDQUIZ_CONTENT`` or a
    ``kdquiz.yaml`` in the current folder) rather than defaulted to kdquiz's own."""
    return bool(override or os.environ.get("KDQUIZ_CONTENT")) or (Path.cwd() / TREE_FILE).is_file()


def data_dir() -> Path:
    """Where the progress database and the settings live (not created here)."""
    env = os.environ.get("KDQUIZ_HOME")
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # deferred: only commands that store data need it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where checked question files are cached (see :mod:`kdquiz.core.cache`); safe to delete."""
    env = os.environ.get("KDQUIZ_HOME")
    if env:
        return Path(env).expanduser().resolve() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def progress_db_path() -> Path:
    """The SQLite progress store."""
    return data_dir() / "progress.sqlite3"


def settings_path() -> Path:
    """The learner's saved settings (language, workspace, editor, session size)."""
    return data_dir() / "settings.json"


def default_workspace() -> Path:
    """Where ``kdquiz exercise start`` puts the learner's files unless settings say otherwise.

    A visible directory in the home folder, because learners open these files in their own editor.
    """
    env = os.environ.get("KDQUIZ_WORKSPACE")
    if env:
        return Path(env).expanduser().resolve()
    return Path.home() / "kdquiz-workspace"
