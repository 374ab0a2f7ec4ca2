"""The progress store: one SQLite file, and one FSRS review queue for questions and exercises.

The public API, for every face (CLI, app, interview mode):

- :func:`open_store` opens (creating or migrating) the database; it raises a
  :class:`~kdquiz.core.store_file.ProgressError` whose ``message(lang)`` says what to do.
- Writing: :meth:`ProgressStore.record_answer` (a quiz answer), :meth:`~ProgressStore.record_check`
  (an exercise check: an *attempt*, a review only by the daily rule below),
  :meth:`~ProgressStore.record_give_up`, :meth:`~ProgressStore.record_hint`,
  :meth:`~ProgressStore.log` (anything else, never a review) and :meth:`~ProgressStore.push_due`
  (put an item at the front of the review queue without judging it: interview mode's weak items).
- Reading: :meth:`~ProgressStore.due`, :meth:`~ProgressStore.seen`, :meth:`~ProgressStore.events`,
  :meth:`~ProgressStore.reviews`, :meth:`~ProgressStore.mastery`.

How progress is counted (docs/progress.md says the same for learners):

- **A review is a judgement; an attempt is not.** A question's review is its first answer in a
  session (``first=True``): wrong → Again, right → Good, self-rated → the learner's rating. A re-try
  in the same session is logged but is not a review. An exercise's check is an attempt; the
  exercise gets **at most one review per local calendar day**: the first pass that day is Good, or
  Hard if the learner was shown a hint since the previous review, or saw a failing check that day
  (``seen=True``: a check they asked for — ``kdquiz check``, ``c`` in the app — of a file that is no
  longer the untouched starter; checks run automatically on save are drafts); giving up before a
  pass that day is Again. Easy is never automatic. An exercise left failing at the end of a day
  has no review that day; its attempts are kept.
- An interrupted check (Ctrl-C, the app closed, the grader unable to start) is recorded by no
  one: the faces simply never call :meth:`~ProgressStore.record_check` for it.
- **Mastery** of an item is FSRS's probability of recall now if its last review was Hard or better,
  and 0 otherwise (never reviewed, or last answered wrong), so it can only be earned.

Reliability:

- WAL mode, and every event is one short transaction: a crash or a kill loses at most the event
  being written.
- A busy database (another process holds the write lock) is waited for with back-off; a write that
  still cannot be made is kept in memory (:attr:`ProgressStore.unsaved`) and retried by the next
  write or by :meth:`ProgressStore.flush`. Nothing is lost silently: callers check ``unsaved``
  before they finish and tell the learner. See :mod:`kdquiz.core.store_file` for how errors are
  sorted (busy, read-only, damaged).
- Schema migrations through ``PRAGMA user_version``. A database written by a newer kdquiz, or one
  that is damaged, is never touched; a damaged one is copied aside once.
- Records are keyed by the stable ids from the content, so editing a question's text keeps its
  history; an item removed from the bank keeps its history but leaves the queue.

Scheduling is the ``fsrs`` package's (no hand-written scheduler).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from kdquiz.core import counting, store_file
from kdquiz.core.counting import AGAIN, EASY, GOOD, HARD, Event, day_streak, rating_for
from kdquiz.core.store_file import (
    BUSY,
    ProgressError,
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    StoreTooNew,
    classify,
    reset_store,
    translate,
)

__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "Event",
    "ProgressError",
    "ProgressStore",
    "StoreBusy",
    "StoreDamaged",
    "StoreReadOnly",
    "StoreTooNew",
    "day_streak",
    "open_store",
    "rating_for",
    "reset_store",
]

T = TypeVar("T")

BUSY_PATIENCE = 30.0
"""Seconds a write waits for another process's lock by default before it is kept for later."""
NOTICE_AFTER = 3.0
"""Seconds of waiting after which the ``on_wait`` callback tells the learner what is happening."""


def _stamp(at: datetime | float | None) -> float:
    if at is None:
        return time.time()
    return at.timestamp() if isinstance(at, datetime) else float(at)


Write = Callable[[sqlite3.Connection], None]


class ProgressStore:
    """A connection to the progress database. Use :func:`open_store`.

    Safe to share between threads (the app's workers): every call holds the store's lock.
    ``on_wait(notice)`` is called (with a :class:`StoreBusy` whose message says it is waiting) once
    per write that has waited :data:`NOTICE_AFTER` seconds for another process's lock, so a face
    can say so while it waits.
    """

    def __init__(
        self, connection: sqlite3.Connection, path: Path, patience: float = BUSY_PATIENCE
    ) -> None:
        self.db = connection
        self.path = path
        self.patience = patience
        self.on_wait: Callable[[StoreBusy], None] | None = None
        self._pending: list[Write] = []
        self._lock = threading.RLock()
        self._stop_waiting = threading.Event()

    # -- waiting for a busy database -------------------------------------------------------
    def _retry(self, op: Callable[[], T], patience: float | None = None) -> T:
        """Run ``op``, waiting with back-off while another process holds the lock."""
        limit = self.patience if patience is None else patience
        started = time.monotonic()
        delay, told = 0.02, False
        while True:
            try:
                return op()
            except sqlite3.Error as exc:
                if classify(exc) != BUSY:
                    raise translate(exc, self.path) from None
                waited = time.monotonic() - started
                if waited >= limit or self._stop_waiting.is_set():
                    raise StoreBusy("daily.store.busy", path=self.path) from None
                if not told and waited >= NOTICE_AFTER and self.on_wait is not None:
                    told = True
                    self.on_wait(StoreBusy("daily.store.waiting", path=self.path))
                time.sleep(min(delay, max(0.0, limit - waited)))
                delay = min(delay * 2, 0.5)

    def _run(self, write: Write) -> None:
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            write(db)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    @property
    def unsaved(self) -> int:
        """Writes kept in memory because the database was busy (or could not be written)."""
        return len(self._pending)

    def flush(self, patience: float | None = None) -> bool:
        """Write everything kept in memory, in order; True when nothing is left unsaved.
        Raises :class:`ProgressError` for anything but a busy database (the writes stay kept)."""
        with self._lock:
            while self._pending:
                try:
                    self._retry(lambda: self._run(self._pending[0]), patience)
                except StoreBusy:
                    return False
                self._pending.pop(0)
            return True

    def _write(self, write: Write, patience: float | None = None) -> bool:
        """Keep ``write`` and flush; True if it (and everything before it) is saved now."""
        with self._lock:
            self._pending.append(write)
            return self.flush(patience)

    # -- writing ---------------------------------------------------------------------------
    def log(
        self,
        item_id: str,
        kind: str,
        event: str,
        *,
        at: datetime | float | None = None,
        outcome: str | None = None,
        patience: float | None = None,
        **detail: Any,
    ) -> bool:
        """Record an event that is never a review (a start, a hint, a re-try, an interview note).
        Returns whether it is saved now (else it is kept in :attr:`unsaved`)."""
        stamp = _stamp(at)

        def write(db: sqlite3.Connection) -> None:
            counting.insert(db, item_id, kind, stamp, event, outcome, None, detail)

        return self._write(write, patience)

    def review(
        self,
        item_id: str,
        kind: str,
        rating: int,
        *,
        event: str,
        outcome: str | None = None,
        at: datetime | float | None = None,
        patience: float | None = None,
        **detail: Any,
    ) -> bool:
        """Schedule ``item_id`` by an FSRS rating and log the event, in one transaction. The
        low-level primitive: prefer the ``record_*`` methods, which apply the counting rules."""
        stamp = _stamp(at)

        def write(db: sqlite3.Connection) -> None:
            counting.schedule(db, item_id, kind, rating, stamp)
            counting.insert(db, item_id, kind, stamp, event, outcome, rating, detail)

        return self._write(write, patience)

    def record_answer(
        self,
        question_id: str,
        outcome: str,
        *,
        self_rating: int | None = None,
        answer: str = "",
        params: dict[str, float] | None = None,
        first: bool = True,
        at: datetime | float | None = None,
        patience: float | None = None,
    ) -> bool:
        """A quiz answer ('right', 'wrong' or 'self-rated'). The first answer to a question in a
        session is a review; a re-try (``first=False``) is only logged."""
        detail: dict[str, Any] = {"answer": answer[:500], "params": params or {}}
        if not first:
            return self.log(
                question_id, "question", "answer", at=at, outcome=outcome, patience=patience,
                retry=True, **detail,
            )  # fmt: skip
        return self.review(
            question_id,
            "question",
            rating_for(outcome, self_rating=self_rating),
            event="answer",
            outcome=outcome,
            at=at,
            patience=patience,
            **detail,
        )

    def record_check(
        self,
        exercise_id: str,
        status: str,
        score: int,
        max_score: int,
        *,
        seen: bool = True,
        at: datetime | float | None = None,
        patience: float | None = None,
        **detail: Any,
    ) -> bool:
        """One finished check of an exercise: an attempt, and a review only when it is the first
        pass of the local day (Good; Hard after hints since the last review, or after failing
        checks the learner saw that day). ``seen`` is False for checks run automatically on save
        and for the untouched starter. Never call it for an interrupted check."""
        stamp = _stamp(at)
        status = str(status)

        def write(db: sqlite3.Connection) -> None:
            rating = None
            if status == "pass" and not counting.reviewed_on_day(db, exercise_id, stamp):
                # hints since the last review; failures the learner saw that day
                since = counting.last_review_at(db, exercise_id, stamp)
                today = max(since, counting.local_day(stamp)[0])
                struggled = counting.hints_since(
                    db, exercise_id, since
                ) or counting.seen_failures_since(db, exercise_id, today)
                rating = HARD if struggled else GOOD
                counting.schedule(db, exercise_id, "exercise", rating, stamp)
            counting.insert(
                db, exercise_id, "exercise", stamp, "check", status, rating,
                {"score": f"{score}/{max_score}", "status": status, "seen": seen, **detail},
            )  # fmt: skip

        return self._write(write, patience)

    def record_give_up(
        self, exercise_id: str, *, at: datetime | float | None = None, patience: float | None = None
    ) -> bool:
        """The learner asked for the solution before passing: Again, unless the exercise already
        had its review that day (then only logged)."""
        stamp = _stamp(at)

        def write(db: sqlite3.Connection) -> None:
            rating = None
            if not counting.reviewed_on_day(db, exercise_id, stamp):
                rating = AGAIN
                counting.schedule(db, exercise_id, "exercise", rating, stamp)
            counting.insert(db, exercise_id, "exercise", stamp, "give-up", "gave-up", rating, {})

        return self._write(write, patience)

    def record_hint(
        self, exercise_id: str, level: int, *, at: datetime | float | None = None
    ) -> bool:
        """The learner was shown hints up to ``level`` (makes the next pass Hard)."""
        return self.log(exercise_id, "exercise", "hint", at=at, level=level)

    def push_due(
        self, item_id: str, kind: str, *, at: datetime | float | None = None, reason: str = ""
    ) -> bool:
        """Put an item at the front of the review queue (due at ``at``, default now) without
        judging it: no review, no change to its memory state or mastery. For interview mode's
        weak items; the push itself is logged as event ``push`` with ``reason``."""
        stamp = _stamp(at)

        def write(db: sqlite3.Connection) -> None:
            import fsrs

            row = db.execute("SELECT card, due FROM cards WHERE item_id = ?", (item_id,)).fetchone()
            if row is None:
                card = fsrs.Card(due=datetime.fromtimestamp(stamp, timezone.utc))
                db.execute(
                    "INSERT INTO cards (item_id, kind, card, due) VALUES (?,?,?,?)",
                    (item_id, kind, card.to_json(), stamp),
                )
            elif row[1] > stamp:
                card = fsrs.Card.from_json(row[0])
                card.due = datetime.fromtimestamp(stamp, timezone.utc)
                db.execute(
                    "UPDATE cards SET card = ?, due = ? WHERE item_id = ?",
                    (card.to_json(), stamp, item_id),
                )
            counting.insert(db, item_id, kind, stamp, "push", None, None, {"reason": reason})

        return self._write(write)

    # -- reading ---------------------------------------------------------------------------
    def _read(self, query: str, args: Iterable[Any] = ()) -> list[Any]:
        with self._lock:
            return self._retry(lambda: self.db.execute(query, tuple(args)).fetchall())

    def due(
        self, now: datetime | None = None, known: Iterable[str] | None = None
    ) -> list[tuple[str, str, datetime]]:
        """(item_id, kind, due) of every item due by ``now``, earliest first; items not in
        ``known`` (removed from the bank) keep their history but leave the queue."""
        moment = (now or datetime.now(timezone.utc)).timestamp()
        keep = set(known) if known is not None else None
        rows = self._read(
            "SELECT item_id, kind, due FROM cards WHERE due <= ? ORDER BY due, item_id", (moment,)
        )
        return [
            (i, k, datetime.fromtimestamp(d, timezone.utc))
            for i, k, d in rows
            if keep is None or i in keep
        ]

    def seen(self) -> set[str]:
        """Items that have a card (reviewed at least once, or pushed into the queue)."""
        return {row[0] for row in self._read("SELECT item_id FROM cards")}

    def cards(self) -> dict[str, Any]:
        import fsrs

        return {i: fsrs.Card.from_json(c) for i, c in self._read("SELECT item_id, card FROM cards")}

    def events(self, item_id: str | None = None, since: float | None = None) -> list[Event]:
        """Every recorded event (of one item, since a time), oldest first."""
        query = "SELECT item_id, kind, at, event, outcome, rating, detail FROM events"
        clauses: list[str] = []
        args: list[Any] = []
        if item_id is not None:
            clauses.append("item_id = ?")
            args.append(item_id)
        if since is not None:
            clauses.append("at >= ?")
            args.append(since)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        return [Event(*row) for row in self._read(query + " ORDER BY at, id", args)]

    def reviews(self, since: float | None = None) -> list[Event]:
        """The FSRS reviews (events with a rating), oldest first: what retention counts."""
        query = (
            "SELECT item_id, kind, at, event, outcome, rating, detail FROM events "
            "WHERE rating IS NOT NULL" + (" AND at >= ?" if since is not None else "")
        )
        args = (since,) if since is not None else ()
        return [Event(*row) for row in self._read(query + " ORDER BY at, id", args)]

    def retrievability(self, now: datetime | None = None) -> dict[str, float]:
        """FSRS's probability of recall now, per item with a card."""
        scheduler = counting.scheduler()
        moment = now or datetime.now(timezone.utc)
        return {
            i: float(scheduler.get_card_retrievability(c, moment)) for i, c in self.cards().items()
        }

    def mastery(self, now: datetime | None = None) -> dict[str, float]:
        """Per item with a card: FSRS's probability of recall now if the item's last review was
        Hard or better, else 0. An item never answered right is 0; a wrong answer sets it to 0,
        so it never raises it; a right answer sets it to about 1."""
        last = dict(
            self._read(
                "SELECT item_id, rating FROM events WHERE id IN (SELECT max(id) FROM events "
                "WHERE rating IS NOT NULL GROUP BY item_id)"
            )
        )
        recall = self.retrievability(now)
        return {i: (r if last.get(i, AGAIN) > AGAIN else 0.0) for i, r in recall.items()}

    # -- export / import -------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """Every card and event, as the JSON ``progress export`` writes."""
        cards = self._read("SELECT item_id, kind, card, due FROM cards ORDER BY item_id")
        return store_file.export_rows(cards, self.events())

    def import_(self, data: dict[str, Any]) -> tuple[int, int]:
        """Merge an export: its cards replace ours for the same item; events not already present
        are added. Returns (cards, events) written."""
        cards, events = store_file.parse_export(data)
        existing = {(e.item_id, e.at, e.event) for e in self.events()}
        fresh = [e for e in events if (e[0], e[2], e[3]) not in existing]

        def write(db: sqlite3.Connection) -> None:
            db.executemany(
                "INSERT INTO cards (item_id, kind, card, due) VALUES (?,?,?,?) ON CONFLICT(item_id) "
                "DO UPDATE SET kind = excluded.kind, card = excluded.card, due = excluded.due",
                cards,
            )
            db.executemany(
                "INSERT INTO events (item_id, kind, at, event, outcome, rating, detail) "
                "VALUES (?,?,?,?,?,?,?)",
                fresh,
            )

        if not self._write(write):
            raise StoreBusy("daily.store.busy", path=self.path)
        return len(cards), len(fresh)

    def close(self) -> None:
        """Close the connection. Anything still :attr:`unsaved` is lost: flush first."""
        with self._lock:
            self.db.close()

    def stop_waiting(self) -> None:
        """End every wait for a busy database now (the writes waiting stay kept); for a face
        that is closing. :meth:`shutdown` allows waiting again."""
        self._stop_waiting.set()

    def shutdown(self, patience: float) -> tuple[int, ProgressError | None]:
        """For a face that is closing while other threads may be waiting on a busy database: end
        their waits, give the kept writes ``patience`` seconds, close. Returns (writes still
        unsaved, the error that stopped them if not simply a busy database)."""
        self._stop_waiting.set()
        with self._lock:
            self._stop_waiting.clear()
            error: ProgressError | None = None
            try:
                self.flush(patience)
            except ProgressError as exc:
                error = exc
            left = self.unsaved
            self.db.close()
        return left, error


# -- opening -----------------------------------------------------------------------------------
def open_store(path: Path | None = None, *, patience: float = BUSY_PATIENCE) -> ProgressStore:
    """Open (creating or migrating) the progress database.

    Raises :class:`StoreReadOnly` (the folder or file cannot be written), :class:`StoreBusy`
    (another process kept it locked for ``patience`` seconds), :class:`StoreDamaged` (not a
    database or failing its integrity check: one copy kept) or :class:`StoreTooNew`."""
    from kdquiz.core import locations

    path = path or locations.progress_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise translate(exc, path) from None
    existed = path.exists() and path.stat().st_size > 0
    try:
        db = sqlite3.connect(path, timeout=0.25, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    store = ProgressStore(db, path, patience)
    try:
        store._retry(lambda: store_file.prepare(db, path, existed))
    except BaseException:
        db.close()
        raise
    return store
