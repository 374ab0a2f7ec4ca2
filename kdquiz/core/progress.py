"""The progress store: one SQLite file, and one FSRS review queue for questions and exercises.

- WAL mode and a busy timeout, so the TUI and a ``kdquiz check`` in another terminal can both write.
- Every answer, self-rating, check, hint and give-up is one short transaction: a crash or a kill
  loses at most the event being written.
- Schema migrations through ``PRAGMA user_version``. A database written by a newer kdquiz, or one
  that is corrupt, is never touched: :class:`ProgressError` says so, and a corrupt file is copied
  aside as a backup first.
- Records are keyed by the stable ids from the content, so editing a question's text keeps its
  history; an item removed from the bank keeps its history but leaves the queue.

Scheduling is the ``fsrs`` package's (no hand-written scheduler). Outcomes map to ratings:
wrong answer or failed check → Again; pass after hints → Hard; right or pass → Good; a short
answer self-rated by the learner uses their rating.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

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

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


class ProgressError(Exception):
    """The progress database cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Event:
    """One recorded event."""

    item_id: str
    kind: str
    at: float
    event: str
    outcome: str | None = None
    rating: int | None = None
    detail: str = "{}"


def _scheduler() -> Any:
    import fsrs

    # No fuzzing: the schedule a learner sees is the one FSRS predicts, reproducibly.
    return fsrs.Scheduler(enable_fuzzing=False)


def rating_for(outcome: str, hints_used: int = 0, self_rating: int | None = None) -> int:
    """The FSRS rating of an outcome: 'right'/'pass' → Good (Hard after hints), 'wrong'/'fail' →
    Again, a self-rated answer → the learner's own rating."""
    if self_rating is not None:
        return self_rating
    if outcome in ("wrong", "fail", "error", "timeout"):
        return AGAIN
    return HARD if hints_used else GOOD


class ProgressStore:
    """A connection to the progress database. Use :func:`open_store`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def log(
        self,
        item_id: str,
        kind: str,
        event: str,
        *,
        at: float | None = None,
        outcome: str | None = None,
        rating: int | None = None,
        **detail: Any,
    ) -> None:
        """Record an event that does not change the schedule (a hint, a start, a give-up)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO events (item_id, kind, at, event, outcome, rating, detail) VALUES (?,?,?,?,?,?,?)",
                (
                    item_id,
                    kind,
                    at if at is not None else time.time(),
                    event,
                    outcome,
                    rating,
                    json.dumps(detail, ensure_ascii=False, sort_keys=True),
                ),
            )

    def review(
        self,
        item_id: str,
        kind: str,
        rating: int,
        *,
        event: str,
        outcome: str | None = None,
        at: datetime | None = None,
        **detail: Any,
    ) -> datetime:
        """Schedule ``item_id`` by an FSRS rating and log the event, in one transaction.
        Returns the new due time."""
        import fsrs

        now = at or datetime.now(timezone.utc)
        with self._transaction() as db:
            row = db.execute("SELECT card FROM cards WHERE item_id = ?", (item_id,)).fetchone()
            card = fsrs.Card.from_json(row[0]) if row else fsrs.Card()
            card, _log = _scheduler().review_card(card, fsrs.Rating(rating), now)
            db.execute(
                "INSERT INTO cards (item_id, kind, card, due) VALUES (?,?,?,?) "
                "ON CONFLICT(item_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                (item_id, kind, card.to_json(), card.due.timestamp()),
            )
            db.execute(
                "INSERT INTO events (item_id, kind, at, event, outcome, rating, detail) VALUES (?,?,?,?,?,?,?)",
                (
                    item_id,
                    kind,
                    now.timestamp(),
                    event,
                    outcome,
                    rating,
                    json.dumps(detail, ensure_ascii=False, sort_keys=True),
                ),
            )
        return card.due

    def record_answer(
        self,
        question_id: str,
        outcome: str,
        *,
        self_rating: int | None = None,
        answer: str = "",
        params: dict[str, float] | None = None,
    ) -> datetime:
        """A quiz answer ('right', 'wrong' or 'self-rated'), scheduled by its FSRS rating."""
        return self.review(
            question_id,
            "question",
            rating_for(outcome, self_rating=self_rating),
            event="answer",
            outcome=outcome,
            answer=answer[:500],
            params=params or {},
        )

    def record_check(
        self, exercise_id: str, status: str, score: int, max_score: int, hints_used: int
    ) -> datetime:
        """An exercise check: a pass is Good (Hard after hints), anything else Again."""
        outcome = "pass" if status == "pass" else "fail"
        return self.review(
            exercise_id,
            "exercise",
            rating_for(outcome, hints_used),
            event="check",
            outcome=outcome,
            score=f"{score}/{max_score}",
            status=status,
        )

    # -- reading ---------------------------------------------------------------------------
    def due(
        self, now: datetime | None = None, known: Iterable[str] | None = None
    ) -> list[tuple[str, str, datetime]]:
        """(item_id, kind, due) of every item due by ``now``, earliest first; items not in
        ``known`` (removed from the bank) keep their history but leave the queue."""
        moment = (now or datetime.now(timezone.utc)).timestamp()
        keep = set(known) if known is not None else None
        rows = self.db.execute(
            "SELECT item_id, kind, due FROM cards WHERE due <= ? ORDER BY due, item_id", (moment,)
        ).fetchall()
        return [
            (i, k, datetime.fromtimestamp(d, timezone.utc))
            for i, k, d in rows
            if keep is None or i in keep
        ]

    def seen(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT item_id FROM cards")}

    def cards(self) -> dict[str, Any]:
        import fsrs

        return {
            i: fsrs.Card.from_json(c) for i, c in self.db.execute("SELECT item_id, card FROM cards")
        }

    def events(self, item_id: str | None = None, since: float | None = None) -> list[Event]:
        query = "SELECT item_id, kind, at, event, outcome, rating, detail FROM events"
        clauses, args = [], []
        if item_id is not None:
            clauses.append("item_id = ?")
            args.append(item_id)
        if since is not None:
            clauses.append("at >= ?")
            args.append(since)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        return [Event(*row) for row in self.db.execute(query + " ORDER BY at, id", args)]

    def retrievability(self, now: datetime | None = None) -> dict[str, float]:
        """FSRS's probability of recall now, per item seen."""
        scheduler = _scheduler()
        moment = now or datetime.now(timezone.utc)
        return {
            i: float(scheduler.get_card_retrievability(c, moment)) for i, c in self.cards().items()
        }

    # -- export / import -------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        cards = [
            {"item_id": i, "kind": k, "card": json.loads(c), "due": d}
            for i, k, c, d in self.db.execute(
                "SELECT item_id, kind, card, due FROM cards ORDER BY item_id"
            )
        ]
        events = [
            {
                "item_id": e.item_id,
                "kind": e.kind,
                "at": e.at,
                "event": e.event,
                "outcome": e.outcome,
                "rating": e.rating,
                "detail": json.loads(e.detail),
            }
            for e in self.events()
        ]
        return {
            "format": EXPORT_FORMAT,
            "version": SCHEMA_VERSION,
            "cards": cards,
            "events": events,
        }

    def import_(self, data: dict[str, Any]) -> tuple[int, int]:
        """Merge an export: its cards replace ours for the same item; events not already present
        are added. Returns (cards, events) written."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise ProgressError(
                'not a kdquiz progress export (expected "format": "kdquiz-progress")'
            )
        if int(data.get("version", 0)) > SCHEMA_VERSION:
            raise ProgressError(
                "this export was written by a newer kdquiz; upgrade kdquiz to import it"
            )
        try:
            cards = [
                (c["item_id"], c["kind"], json.dumps(c["card"]), float(c["due"]))
                for c in data["cards"]
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
            raise ProgressError(
                f"the export is malformed ({exc!r}); nothing was imported"
            ) from None
        existing = {(e.item_id, e.at, e.event) for e in self.events()}
        fresh = [e for e in events if (e[0], e[2], e[3]) not in existing]
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO cards (item_id, kind, card, due) VALUES (?,?,?,?) ON CONFLICT(item_id) "
                "DO UPDATE SET kind = excluded.kind, card = excluded.card, due = excluded.due",
                cards,
            )
            db.executemany(
                "INSERT INTO events (item_id, kind, at, event, outcome, rating, detail) VALUES (?,?,?,?,?,?,?)",
                fresh,
            )
        return len(cards), len(fresh)

    def close(self) -> None:
        self.db.close()


def _backup(path: Path) -> Path:
    backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.copy2(path, backup)
    return backup


def open_store(path: Path | None = None) -> ProgressStore:
    """Open (creating or migrating) the progress database; raise :class:`ProgressError` with a
    one-line explanation if it cannot be used."""
    from kdquiz.core import locations

    path = path or locations.progress_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    try:
        db = sqlite3.connect(path, timeout=10.0, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if existed:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(check)
    except sqlite3.DatabaseError as exc:
        backup = _backup(path) if existed else None
        raise ProgressError(
            f"the progress database {path} is damaged ({exc}); a copy was kept at {backup}. "
            "Restore a backup or run 'kdquiz progress reset' to start afresh."
        ) from None
    if version > SCHEMA_VERSION:
        db.close()
        raise ProgressError(
            f"the progress database {path} was written by a newer kdquiz (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade kdquiz. The file was not changed."
        )
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {target}")
        db.execute("COMMIT")
    return ProgressStore(db, path)


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


def day_streak(event_times: Iterable[float], today: datetime | None = None) -> int:
    """Consecutive days with at least one answer, ending today (or yesterday)."""
    now = (today or datetime.now()).astimezone()
    days = {datetime.fromtimestamp(t).astimezone().date() for t in event_times}
    current = now.date()
    if current not in days:
        current -= timedelta(days=1)
    streak = 0
    while current in days:
        streak += 1
        current -= timedelta(days=1)
    return streak
