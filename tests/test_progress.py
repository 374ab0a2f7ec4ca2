"""The progress store: FSRS scheduling over a simulated week, export/import, and reliability with
real processes (SIGKILL mid-session, two writers at once, corrupt and newer databases)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core import progress
from kdquiz.core.content import load_content
from kdquiz.core.progress import AGAIN, GOOD, HARD, open_store, rating_for

from .conftest import COURSE

runner = CliRunner()
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_outcomes_map_to_ratings() -> None:
    assert rating_for("gave-up") == AGAIN
    assert rating_for("wrong") == AGAIN
    assert rating_for("fail") == AGAIN
    assert rating_for("right") == GOOD
    assert rating_for("pass", hints_used=2) == HARD
    assert rating_for("self-rated", self_rating=4) == 4


def test_a_week_of_use_gives_the_queue_fsrs_predicts(tmp_path: Path) -> None:
    """Each day the learner answers what is due (some wrong); the store's queue must equal an
    independent replay of the same reviews through fsrs.Scheduler."""
    store = open_store(tmp_path / "p.sqlite3")
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    items = [f"q{i}" for i in range(8)]
    expected: dict[str, fsrs.Card] = {}
    for day in range(7):
        now = START + timedelta(days=day)
        due_ids = [i for i, _k, _d in store.due(now)] if day else items
        for index, item in enumerate(due_ids):
            rating = AGAIN if (index + day) % 4 == 0 else GOOD
            store.review(item, "question", rating, event="answer", at=now)
            card = expected.get(item, fsrs.Card())
            expected[item], _ = scheduler.review_card(card, fsrs.Rating(rating), now)
        check = now + timedelta(hours=23)
        predicted = sorted(i for i, c in expected.items() if c.due <= check)
        assert sorted(i for i, _k, _d in store.due(check)) == predicted
    assert store.due(START + timedelta(days=7))  # something comes back within the week
    store.close()


def test_removed_items_keep_history_but_leave_the_queue(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.sqlite3")
    store.review("kept", "question", AGAIN, event="answer", at=START)
    store.review("removed", "question", AGAIN, event="answer", at=START)
    later = START + timedelta(days=1)
    assert {i for i, _k, _d in store.due(later, known={"kept"})} == {"kept"}
    assert store.events("removed")


def test_export_import_round_trips_exactly(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = open_store(path)
    store.review("a", "question", GOOD, event="answer", outcome="right", at=START, answer="b")
    store.review("ex", "exercise", AGAIN, event="check", outcome="fail", at=START, score="1/8")
    store.log("ex", "exercise", "hint", at=START.timestamp() + 5, level=1)
    exported = store.export()
    store.close()
    progress.reset_store(path)
    fresh = open_store(path)
    assert fresh.export()["cards"] == []
    assert fresh.import_(exported) == (2, 3)
    assert fresh.export() == exported
    assert fresh.import_(exported) == (2, 0)  # importing twice adds nothing
    fresh.close()


def test_progress_commands(tmp_path: Path) -> None:
    base = ["--content", str(COURSE)]
    answered = runner.invoke(
        app, [*base, "quiz", "--type", "numeric", "--difficulty", "1"], input="0.5\n"
    )
    assert answered.exit_code == 0
    stats = json.loads(runner.invoke(app, [*base, "stats", "--json"]).output)
    # one review is not enough to mean anything: retention waits (shown as "—")
    assert stats["answered"] == 1 and stats["retention"] is None and stats["streak"] == 1
    assert stats["reviews"] == 1
    assert stats["topics"][0]["seen"] == 1
    target = tmp_path / "progress.json"
    assert runner.invoke(app, [*base, "progress", "export", str(target)]).exit_code == 0
    assert json.loads(target.read_text())["events"][0]["item_id"] == "numeric-q"
    kept = runner.invoke(app, [*base, "progress", "reset"], input="n\n")
    assert kept.exit_code == 1 and "Nothing was changed" in kept.output
    assert runner.invoke(app, [*base, "progress", "reset", "--yes"]).exit_code == 0
    assert json.loads(runner.invoke(app, [*base, "stats", "--json"]).output)["answered"] == 0
    assert runner.invoke(app, [*base, "progress", "import", str(target)]).exit_code == 0
    assert json.loads(runner.invoke(app, [*base, "stats", "--json"]).output)["answered"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    failed = runner.invoke(app, [*base, "progress", "import", str(bad)])
    assert failed.exit_code == 2 and "cannot read" in failed.output


def test_review_asks_due_then_new_questions() -> None:
    base = ["--content", str(COURSE)]
    result = runner.invoke(app, [*base, "review", "--new", "1"], input="0.5\nb\n1\n3\n")
    assert result.exit_code == 0
    assert "Question 1/1" in result.output


def _kdquiz(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kdquiz", "--content", str(COURSE), *args], text=True, **kwargs
    )  # type: ignore[call-overload]


def test_sigkill_mid_session_loses_at_most_the_answer_being_written() -> None:
    proc = _kdquiz(
        "quiz",
        "--type",
        "single",
        "--type",
        "code",
        "--type",
        "multiple",
        "-n",
        "3",
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    proc.stdin.write(
        "a\na\n"
    )  # two answers (any letter is valid everywhere); the third never comes
    proc.stdin.flush()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                if conn.execute("SELECT count(*) FROM events").fetchone()[0] >= 2:
                    break
        except sqlite3.OperationalError:
            pass  # not created or migrated yet
        time.sleep(0.05)
    time.sleep(0.2)
    assert proc.poll() is None  # still waiting for the third answer
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = open_store(db)  # opens cleanly, and both finished answers are there
    assert len(store.events()) == 2
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


WRITER = """
import sys
from pathlib import Path
from kdquiz.core.progress import open_store
store = open_store(Path(sys.argv[1]))
for i in range(150):
    store.review(f"{sys.argv[2]}-{i % 10}", "question", 3, event="answer", outcome="right")
store.close()
"""


def test_two_processes_write_at_once_without_corruption_or_lockout(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    open_store(db).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), name]) for name in ("tui", "check")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    store = open_store(db)
    assert len(store.events()) == 300
    assert len(store.seen()) == 20
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_corrupt_database_is_kept_and_explained() -> None:
    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    garbage = b"this is not a database" * 100
    db.write_bytes(garbage)
    result = runner.invoke(app, ["--content", str(COURSE), "stats"])
    assert result.exit_code == 2
    assert "damaged" in result.output and "copy was kept" in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == garbage  # never silently replaced
    assert len(list(db.parent.glob("progress.sqlite3.damaged-*"))) == 1
    again = runner.invoke(app, ["--content", str(COURSE), "stats"])
    assert again.exit_code == 2 and "damaged" in again.output
    assert len(list(db.parent.glob("progress.sqlite3.damaged-*"))) == 1  # one copy, not one a run


def test_newer_database_is_refused_untouched() -> None:
    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = db.read_bytes()
    result = runner.invoke(app, ["--content", str(COURSE), "stats"])
    assert result.exit_code == 2 and "newer kdquiz" in result.output
    assert db.read_bytes() == before


def test_editing_a_question_keeps_its_progress(tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    base = ["--content", str(course)]
    runner.invoke(app, [*base, "quiz", "--type", "numeric", "--difficulty", "1"], input="9\n")
    path = course / "questions" / "basics.yaml"
    path.write_text(path.read_text().replace("for entry 0?", "for the first entry?"))
    content = load_content(course)
    assert "first entry" in content.questions["numeric-q"].prompt.en
    stats = json.loads(runner.invoke(app, [*base, "stats", "--json"]).output)
    assert stats["topics"][0]["seen"] == 1 and stats["due_today"] == 1


@pytest.mark.parametrize("value,expected", [(0, 0), (1, 1), (3, 3)])
def test_streak(value: int, expected: int) -> None:
    today = datetime(2026, 5, 10, 12, 0).astimezone()
    times = [(today - timedelta(days=d)).timestamp() for d in range(value)]
    assert progress.day_streak(times, today) == expected
