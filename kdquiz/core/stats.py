"""Progress at a glance, computed from the store and the content: due counts, retention, streak,
per-topic mastery, exercise completion, and the review history by day. No UI.

The numbers mean what they say (docs/progress.md):

- **mastery** of a question is FSRS's probability of recall now if its last review was Hard or
  better, else 0 (:meth:`ProgressStore.mastery`); a topic's is the mean over its questions, unseen
  ones counting 0. It can only be earned: a wrong answer never raises it.
- **retention** is the share of reviews in the last 30 days not rated Again. Reviews are a
  question's first answer in a session and an exercise's one review a day; automatic checks and
  re-tries are attempts, not reviews. None until there are :data:`MIN_REVIEWS` reviews.
- the **history** counts the same reviews per day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kdquiz.core.content import Content
from kdquiz.core.progress import AGAIN, ProgressStore, day_streak

MIN_REVIEWS = 10
"""Reviews in the window before retention is shown (fewer mean nothing: "—")."""
WINDOW_DAYS = 30
FORECAST_DAYS = 14


@dataclass
class TopicMastery:
    topic: str
    title: str
    questions: int
    seen: int
    mastery: float
    """Mean mastery over the topic's questions (unseen ones count as 0); see the module doc."""


@dataclass
class Stats:
    due_now: int
    due_today: int
    new: int
    retention: float | None
    """Share of the last 30 days' reviews not rated Again (None below MIN_REVIEWS reviews)."""
    streak: int
    answered: int
    """Answers and checks ever recorded (attempts included)."""
    reviews: int = 0
    """Reviews in the last 30 days (what retention counts)."""
    topics: list[TopicMastery] = field(default_factory=list)
    exercises_passed: int = 0
    exercises_total: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    """Per day for the last 30 days: date, right (reviews not rated Again), wrong (Again)."""
    forecast: list[dict[str, Any]] = field(default_factory=list)
    """Per day for the next FORECAST_DAYS days, today first: date, due (items FSRS schedules
    that day; what is overdue counts today)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def weakest(self, count: int = 3) -> list[TopicMastery]:
        return sorted(self.topics, key=lambda t: (t.mastery, t.topic))[:count]


def compute(
    store: ProgressStore, content: Content, now: datetime | None = None, lang: str = "en"
) -> Stats:
    now = now or datetime.now(timezone.utc)
    known = set(content.questions) | set(content.exercises)
    end_of_day = now.astimezone().replace(hour=23, minute=59, second=59)
    seen = store.seen()
    mastery = store.mastery(now)
    reviews = store.reviews(since=(now - timedelta(days=WINDOW_DAYS)).timestamp())
    remembered = sum(e.rating is not None and e.rating > AGAIN for e in reviews)
    retention = remembered / len(reviews) if len(reviews) >= MIN_REVIEWS else None
    practice = [e for e in store.events() if e.event in ("answer", "check")]
    topics: list[TopicMastery] = []
    for slug, topic_file in sorted(content.topics.items()):
        ids = [q.id for q in content.questions.values() if q.topic == slug]
        if not ids:
            continue
        topics.append(
            TopicMastery(
                slug,
                topic_file.title.get(lang),
                len(ids),
                sum(i in seen for i in ids),
                sum(mastery.get(i, 0.0) for i in ids) / len(ids),
            )
        )
    passed = {e.item_id for e in practice if e.event == "check" and e.outcome == "pass"}
    by_day: dict[str, list[int]] = {}
    for e in reviews:
        day = datetime.fromtimestamp(e.at).astimezone().date().isoformat()
        by_day.setdefault(day, [0, 0])[e.rating == AGAIN] += 1
    history = []
    for back in range(WINDOW_DAYS - 1, -1, -1):
        day = (now.astimezone() - timedelta(days=back)).date().isoformat()
        right, wrong = by_day.get(day, [0, 0])
        history.append({"date": day, "right": right, "wrong": wrong})
    return Stats(
        forecast=review_forecast(store, known, now),
        due_now=len(store.due(now, known)),
        due_today=len(store.due(end_of_day, known)),
        new=len([q for q in content.questions if q not in seen]),
        retention=retention,
        streak=day_streak([e.at for e in practice], now),
        answered=len(practice),
        reviews=len(reviews),
        topics=topics,
        exercises_passed=len(passed & set(content.learner_exercises)),
        exercises_total=len(content.learner_exercises),
        history=history,
    )


def review_forecast(
    store: ProgressStore, known: set[str], now: datetime, days: int = FORECAST_DAYS
) -> list[dict[str, Any]]:
    """How many items come due on each of the next ``days`` local days (FSRS's due dates; an
    overdue item counts today), today first."""
    today = now.astimezone().date()
    horizon = (now.astimezone() + timedelta(days=days - 1)).replace(
        hour=23, minute=59, second=59, microsecond=999999
    )
    counts = [0] * days
    for _item, _kind, when in store.due(horizon, known):
        counts[max(0, (when.astimezone().date() - today).days)] += 1
    return [
        {"date": (today + timedelta(days=offset)).isoformat(), "due": count}
        for offset, count in enumerate(counts)
    ]


def forecast_text(forecast: list[dict[str, Any]], lang: str) -> str:
    """The forecast as a title, a line of bars (two cells a day) and the counts under them."""
    from kdquiz.core.i18n import t

    title = t("daily.forecast.title", lang, days=len(forecast))
    return f"{title}\n{forecast_chart(forecast)}"


def forecast_chart(forecast: list[dict[str, Any]]) -> str:
    """A line of bars (two cells a day, '·' for none) and the counts under them."""
    blocks = " ▁▂▃▄▅▆▇█"
    top = max((day["due"] for day in forecast), default=0) or 1
    bars = " ".join(
        (blocks[max(1, round(day["due"] / top * 8))] if day["due"] else "·") * 2 for day in forecast
    )
    counts = "".join(f"{min(day['due'], 99):<3}" for day in forecast)
    return f"  {bars}\n  {counts.rstrip()}"


def retention_text(stats: Stats, lang: str) -> str:
    """Retention as shown: a percentage, or "—" with how many reviews it waits for."""
    from kdquiz.core.i18n import t

    if stats.retention is None:
        return t("daily.retention.pending", lang, needed=MIN_REVIEWS, count=stats.reviews)
    return f"{stats.retention:.0%}"


def days_text(count: int, lang: str) -> str:
    """ "1 day", "3 days" (and 天 in Chinese)."""
    from kdquiz.core.i18n import t

    return t("daily.days.one" if count == 1 else "daily.days.many", lang, count=count)
