"""Progress at a glance, computed from the store and the content: due counts, retention, streak,
per-topic mastery, exercise completion, and the review history by day. No UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kdquiz.core.content import Content
from kdquiz.core.progress import ProgressStore, day_streak

POSITIVE = {"right", "pass"}
GRADED = {"right", "wrong", "pass", "fail"}


@dataclass
class TopicMastery:
    topic: str
    title: str
    questions: int
    seen: int
    mastery: float
    """Mean FSRS probability of recall over the topic's questions (unseen ones count as 0)."""


@dataclass
class Stats:
    due_now: int
    due_today: int
    new: int
    retention: float | None
    """Share of right answers and passed checks over the last 30 days (None without any)."""
    streak: int
    answered: int
    topics: list[TopicMastery] = field(default_factory=list)
    exercises_passed: int = 0
    exercises_total: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    """Per day for the last 30 days: date, right, wrong."""

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
    recall = store.retrievability(now)
    events = store.events(since=(now - timedelta(days=30)).timestamp())
    graded = [e for e in events if e.outcome in GRADED]
    retention = sum(e.outcome in POSITIVE for e in graded) / len(graded) if graded else None
    all_events = store.events()
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
                sum(recall.get(i, 0.0) for i in ids) / len(ids),
            )
        )
    passed = {e.item_id for e in all_events if e.event == "check" and e.outcome == "pass"}
    history = []
    for back in range(29, -1, -1):
        day = (now.astimezone() - timedelta(days=back)).date()
        on_day = [e for e in graded if datetime.fromtimestamp(e.at).astimezone().date() == day]
        history.append(
            {
                "date": day.isoformat(),
                "right": sum(e.outcome in POSITIVE for e in on_day),
                "wrong": sum(e.outcome not in POSITIVE for e in on_day),
            }
        )
    return Stats(
        due_now=len(store.due(now, known)),
        due_today=len(store.due(end_of_day, known)),
        new=len([q for q in content.questions if q not in seen]),
        retention=retention,
        streak=day_streak([e.at for e in all_events if e.event in ("answer", "check")], now),
        answered=len([e for e in all_events if e.event in ("answer", "check")]),
        topics=topics,
        exercises_passed=len(passed & set(content.learner_exercises)),
        exercises_total=len(content.learner_exercises),
        history=history,
    )
