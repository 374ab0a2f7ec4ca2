"""The progress database as a file: its schema and migrations, opening it, and what can go wrong
with it, sorted so the learner is told the truth.

SQLite and the OS report many failures with the same exception classes; :func:`classify` sorts
them into the three cases a learner acts on differently:

- **busy** — another process (a second kdquiz, a backup tool) holds the write lock. Nothing is
  wrong: the store waits with back-off, keeps the pending write in memory and retries. It is never
  called damage, never copied aside, never answered with ``progress reset``.
- **read-only** — the file or its folder cannot be written (permissions, a read-only mount). The
  message names the path and ``KDQUIZ_HOME``.
- **damaged** — the file is not a SQLite database or fails its integrity check. The only case that
  is "damaged": one copy is kept (named by the file's content, so opening it again makes no second
  copy), and the file itself is never touched.

Every error is a :class:`ProgressError` carrying a message key of :mod:`kdquiz.core.messages.daily`,
so each face shows it in the learner's language with :meth:`ProgressError.message`.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

BUSY, READ_ONLY, DAMAGED, OTHER = "busy", "read-only", "damaged", "other"

SCHEMA_VERSION = 1
EXPORT_FORMAT = "kdquiz-progress"

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE cards (
        item_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('question', 'exercise')),
        card TEXT NOT NULL,
        due REAL NOT NULL
    );
    CREATE INDEX cards_due ON cards (due);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at REAL NOT NULL,
        event TEXT NOT NULL,
        outcome TEXT,
        rating INTEGER,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_item ON events (item_id, at);
    CREATE INDEX events_at ON events (at);
    """,
}


class ProgressError(Exception):
    """The progress database cannot be used right now; :meth:`message` says why and what to do."""

    kind = OTHER

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The one-line explanation in ``lang``."""
        from kdquiz.core.i18n import t

        return t(self.key, lang, **self.values)


class StoreBusy(ProgressError):
    """Another process kept the write lock longer than we were willing to wait."""

    kind = BUSY


class StoreReadOnly(ProgressError):
    """The database or its folder cannot be written."""

    kind = READ_ONLY


class StoreDamaged(ProgressError):
    """The file is not a database, or fails its integrity check."""

    kind = DAMAGED


class StoreTooNew(ProgressError):
    """Written by a newer kdquiz (a higher schema version): left untouched."""


_BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")
_READ_ONLY_WORDS = (
    "readonly",
    "read-only",
    "unable to open database file",
    "permission denied",
    "access permission",
)
_DAMAGED_WORDS = ("not a database", "malformed", "corrupt", "integrity")
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _codes(*names: str) -> set[int]:
    # The error-code constants exist from Python 3.11; on 3.10 the message text decides.
    return {getattr(sqlite3, n) for n in names if hasattr(sqlite3, n)}


_BUSY_CODES = _codes("SQLITE_BUSY", "SQLITE_LOCKED")
_READ_ONLY_CODES = _codes("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN")
_DAMAGED_CODES = _codes("SQLITE_NOTADB", "SQLITE_CORRUPT")


def classify(exc: BaseException) -> str:
    """Sort an exception from SQLite or the OS into busy, read-only, damaged or other."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.Error):
        # extended codes (e.g. SQLITE_BUSY_SNAPSHOT) carry the primary code in the low byte
        code = (getattr(exc, "sqlite_errorcode", None) or -1) & 0xFF
        if code in _BUSY_CODES or any(w in text for w in _BUSY_WORDS):
            return BUSY
        if code in _READ_ONLY_CODES or any(w in text for w in _READ_ONLY_WORDS):
            return READ_ONLY
        if code in _DAMAGED_CODES or any(w in text for w in _DAMAGED_WORDS):
            return DAMAGED
        return OTHER
    if isinstance(exc, OSError):
        return READ_ONLY if exc.errno in _READ_ONLY_ERRNOS else OTHER
    return OTHER


def translate(exc: BaseException, path: Path) -> ProgressError:
    """The :class:`ProgressError` to raise for ``exc`` (busy, read-only or a plain failure;
    damage is decided by :func:`kdquiz.core.progress.open_store`, which keeps the copy)."""
    kind = classify(exc)
    if kind == BUSY:
        return StoreBusy("daily.store.busy", path=path)
    if kind == READ_ONLY:
        return StoreReadOnly("daily.store.read_only", path=path)
    detail = getattr(exc, "strerror", None) or str(exc)
    return ProgressError("daily.store.failed", path=path, detail=detail)


def keep_damaged_copy(path: Path) -> Path:
    """One copy of a damaged file, named by its content: opening it again makes no second copy."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    backup = path.with_name(f"{path.name}.damaged-{digest}")
    if not backup.exists():
        shutil.copy2(path, backup)
    return backup


def prepare(db: sqlite3.Connection, path: Path, existed: bool) -> None:
    """Check, switch to WAL and migrate; raises sqlite3 errors for :meth:`_retry` to sort."""
    db.execute("PRAGMA busy_timeout = 250")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if existed:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
    except sqlite3.DatabaseError as exc:
        if classify(exc) != DAMAGED:
            raise
        backup = keep_damaged_copy(path)
        raise StoreDamaged("daily.store.damaged", path=path, detail=exc, backup=backup) from None
    if version > SCHEMA_VERSION:
        raise StoreTooNew("daily.store.newer", path=path, version=version, known=SCHEMA_VERSION)
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] < target:
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def reset_store(path: Path | None = None) -> Path | None:
    """Move the database (and its WAL files) aside as a backup; the next open starts afresh."""
    from kdquiz.core import locations

    path = path or locations.progress_db_path()
    if not path.exists():
        return None
    backup = path.with_name(f"{path.name}.reset-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(backup)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(backup.with_name(backup.name + suffix))
    return backup


def parse_export(data: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The (cards, events) rows of a progress export; :class:`ProgressError` if it is not one."""
    import json

    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ProgressError("daily.import.not_export")
    if int(data.get("version", 0)) > SCHEMA_VERSION:
        raise ProgressError("daily.import.newer")
    try:
        cards = [
            (c["item_id"], c["kind"], json.dumps(c["card"]), float(c["due"])) for c in data["cards"]
        ]
        events = [
            (
                e["item_id"],
                e["kind"],
                float(e["at"]),
                e["event"],
                e.get("outcome"),
                e.get("rating"),
                json.dumps(e.get("detail", {}), ensure_ascii=False, sort_keys=True),
            )
            for e in data["events"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise ProgressError("daily.import.malformed", detail=repr(exc)) from None
    return cards, events


def export_rows(cards: list[Any], events: list[Any]) -> dict[str, Any]:
    """The JSON document of a progress export, from card rows and :class:`Event` records."""
    import json

    return {
        "format": EXPORT_FORMAT,
        "version": SCHEMA_VERSION,
        "cards": [
            {"item_id": i, "kind": k, "card": json.loads(c), "due": d} for i, k, c, d in cards
        ],
        "events": [
            {
                "item_id": e.item_id,
                "kind": e.kind,
                "at": e.at,
                "event": e.event,
                "outcome": e.outcome,
                "rating": e.rating,
                "detail": json.loads(e.detail),
            }
            for e in events
        ],
    }
