"""How progress is counted: the rules that turn answers and checks into FSRS reviews.

They run inside the store's write transactions (:mod:`kdquiz.core.progress`), so a rule that
depends on what was recorded earlier that day (one exercise review per day at most) sees every
process's writes. The module docstring of :mod:`kdquiz.core.progress` states the rules;
docs/progress.md says the same for learners.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@dataclass(frozen=True)
class Event:
    """One recorded event. ``rating`` is set exactly when the event was an FSRS review."""

    item_id: str
    kind: str
    at: float
    event: str
    outcome: str | None = None
    rating: int | None = None
    detail: str = "{}"

    @property
    def is_review(self) -> bool:
        return self.rating is not None

    def details(self) -> dict[str, Any]:
        value = json.loads(self.detail)
        return value if isinstance(value, dict) else {}


def scheduler() -> Any:
    """FSRS's scheduler as kdquiz uses it."""
    import fsrs

    # No fuzzing: the schedule a learner sees is the one FSRS predicts, reproducibly.
    return fsrs.Scheduler(enable_fuzzing=False)


def rating_for(outcome: str, hints_used: int = 0, self_rating: int | None = None) -> int:
    """The FSRS rating of a judged outcome: 'right'/'pass' → Good (Hard after hints),
    'wrong'/'fail'/'error'/'timeout'/'gave-up' → Again, a self-rated answer → the learner's rating."""
    if self_rating is not None:
        return self_rating
    if outcome in ("wrong", "fail", "error", "timeout", "gave-up"):
        return AGAIN
    return HARD if hints_used else GOOD


def local_day(at: float) -> tuple[float, float]:
    """The start and end (timestamps) of the local calendar day containing ``at``."""
    day = datetime.fromtimestamp(at).astimezone()
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def insert(
    db: sqlite3.Connection,
    item_id: str,
    kind: str,
    at: float,
    event: str,
    outcome: str | None,
    rating: int | None,
    detail: dict[str, Any],
) -> None:
    db.execute(
        "INSERT INTO events (item_id, kind, at, event, outcome, rating, detail) VALUES (?,?,?,?,?,?,?)",
        (
            item_id,
            kind,
            at,
            event,
            outcome,
            rating,
            json.dumps(detail, ensure_ascii=False, sort_keys=True),
        ),
    )


def schedule(db: sqlite3.Connection, item_id: str, kind: str, rating: int, at: float) -> None:
    import fsrs

    row = db.execute("SELECT card FROM cards WHERE item_id = ?", (item_id,)).fetchone()
    card = fsrs.Card.from_json(row[0]) if row else fsrs.Card()
    moment = datetime.fromtimestamp(at, timezone.utc)
    card, _log = scheduler().review_card(card, fsrs.Rating(rating), moment)
    db.execute(
        "INSERT INTO cards (item_id, kind, card, due) VALUES (?,?,?,?) "
        "ON CONFLICT(item_id) DO UPDATE SET card = excluded.card, due = excluded.due",
        (item_id, kind, card.to_json(), card.due.timestamp()),
    )


def reviewed_on_day(db: sqlite3.Connection, item_id: str, at: float) -> bool:
    start, end = local_day(at)
    row = db.execute(
        "SELECT 1 FROM events WHERE item_id = ? AND rating IS NOT NULL AND at >= ? AND at < ?",
        (item_id, start, end),
    ).fetchone()
    return row is not None


def last_review_at(db: sqlite3.Connection, item_id: str, before: float) -> float:
    row = db.execute(
        "SELECT max(at) FROM events WHERE item_id = ? AND rating IS NOT NULL AND at <= ?",
        (item_id, before),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else float("-inf")


def hints_since(db: sqlite3.Connection, item_id: str, since: float) -> bool:
    row = db.execute(
        "SELECT 1 FROM events WHERE item_id = ? AND event = 'hint' AND at > ?", (item_id, since)
    ).fetchone()
    return row is not None


def seen_failures_since(db: sqlite3.Connection, item_id: str, since: float) -> bool:
    rows = db.execute(
        "SELECT detail FROM events WHERE item_id = ? AND event = 'check' AND outcome != 'pass' "
        "AND at > ?",
        (item_id, since),
    ).fetchall()
    return any(json.loads(d).get("seen", True) for (d,) in rows)


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
