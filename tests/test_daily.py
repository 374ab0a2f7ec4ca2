"""The daily loop a learner can trust (issue 14): what counts as a review, mastery that can only
be earned, retention from reviews only, saves that are always seen, and a busy or unwritable
database that loses nothing (with real processes holding the lock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core import quiz, session, watching
from kdquiz.core.content import load_content
from kdquiz.core.progress import AGAIN, GOOD, HARD, StoreBusy, open_store
from kdquiz.core.stats import MIN_REVIEWS, compute, days_text, retention_text

from .conftest import COURSE

runner = CliRunner()
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _at(minutes: float, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, minutes=minutes)


def _reviews(store, item: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [e.rating for e in store.events(item) if e.rating is not None]


# -- what counts as a review ------------------------------------------------------------------------
def test_a_day_of_failing_saves_then_a_pass_is_one_good_review(tmp_path: Path) -> None:
    """Five automatic checks on save on the way to a pass: five attempts, one review (Good)."""
    store = open_store(tmp_path / "p.sqlite3")
    for minute in range(5):
        store.record_check("kd", "fail", 1, 8, seen=False, at=_at(minute))
    assert _reviews(store, "kd") == [] and "kd" not in store.seen()  # failing: no review yet
    store.record_check("kd", "pass", 8, 8, seen=False, at=_at(10))
    store.record_check("kd", "pass", 8, 8, seen=True, at=_at(11))  # passing again: an attempt
    store.record_check("kd", "fail", 7, 8, seen=True, at=_at(12))  # breaking it: an attempt
    assert _reviews(store, "kd") == [GOOD]
    assert len([e for e in store.events("kd") if e.event == "check"]) == 8
    store.record_check("kd", "pass", 8, 8, seen=False, at=_at(0, day=3))  # another day
    assert _reviews(store, "kd") == [GOOD, GOOD]


def test_a_pass_after_hints_or_failures_the_learner_saw_is_hard(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.sqlite3")
    store.record_hint("hinted", 1, at=_at(0))
    store.record_check("hinted", "pass", 8, 8, at=_at(5))
    store.record_check("saw", "fail", 3, 8, seen=True, at=_at(0))
    store.record_check("saw", "timeout", 0, 8, seen=True, at=_at(1))
    store.record_check("saw", "pass", 8, 8, seen=False, at=_at(5))
    assert _reviews(store, "hinted") == [HARD]
    assert _reviews(store, "saw") == [HARD]
    # the next day starts afresh: yesterday's hint and failures were paid for by yesterday's Hard
    store.record_check("saw", "pass", 8, 8, at=_at(0, day=2))
    assert _reviews(store, "saw") == [HARD, GOOD]
    assert 4 not in _reviews(store, "saw")  # Easy is never automatic


def test_giving_up_is_again_and_still_one_review_a_day(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.sqlite3")
    store.record_check("a", "fail", 0, 8, at=_at(0))
    store.record_give_up("a", at=_at(1))
    store.record_check("a", "pass", 8, 8, at=_at(2))  # the same day: already reviewed
    store.record_check("b", "pass", 8, 8, at=_at(0))
    store.record_give_up("b", at=_at(1))
    assert _reviews(store, "a") == [AGAIN] and _reviews(store, "b") == [GOOD]
    store.record_check("c", "fail", 0, 8, at=_at(0))  # left failing at the end of the day
    assert _reviews(store, "c") == [] and "c" not in store.seen()


def test_a_retry_within_a_session_is_not_a_review(tmp_path: Path) -> None:
    content = load_content(COURSE)
    store = open_store(tmp_path / "p.sqlite3")
    sitting = session.QuizSession([content.questions["numeric-q"]] * 2, store)
    asked = sitting.ask()
    assert sitting.answer(asked, quiz.judge_numeric(asked, 9.0))
    assert sitting.answer(asked, quiz.judge_numeric(asked, 0.5))  # the same question again
    assert _reviews(store, "numeric-q") == [AGAIN]
    assert len(store.events("numeric-q")) == 2
    assert (sitting.tally.right, sitting.tally.graded) == (0, 1)


# -- mastery --------------------------------------------------------------------------------------
def test_mastery_can_only_be_earned(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.sqlite3")
    now = _at(0)
    assert store.mastery(now).get("q", 0.0) == 0.0  # never answered
    store.record_answer("q", "wrong", at=_at(0))
    store.record_answer("q", "wrong", at=_at(1))  # a topic answered wrong twice showed 7%
    assert store.mastery(_at(2))["q"] == 0.0  # a wrong answer never raises it
    store.record_answer("q", "right", at=_at(3))
    right = store.mastery(_at(4))["q"]
    assert right > 0.9  # a right answer raises it
    later = store.mastery(_at(0, day=5))["q"]
    assert 0 < later < right  # and it fades as FSRS predicts
    store.record_answer("q", "wrong", at=_at(1, day=5))
    assert store.mastery(_at(2, day=5))["q"] == 0.0  # a wrong one lowers it
    store.record_answer("s", "self-rated", self_rating=AGAIN, at=_at(0))
    store.record_answer("t", "self-rated", self_rating=HARD, at=_at(0))
    mastery = store.mastery(_at(1))
    assert mastery["s"] == 0.0 and mastery["t"] > 0.5


def test_topic_mastery_on_stats_uses_the_definition(tmp_path: Path) -> None:
    content = load_content(COURSE)
    store = open_store(tmp_path / "p.sqlite3")
    store.record_answer("single-q", "wrong", at=_at(0))
    store.record_answer("single-q", "wrong", at=_at(1))
    assert compute(store, content, now=_at(2)).topics[0].mastery == 0.0
    store.record_answer("single-q", "right", at=_at(3))
    topic = compute(store, content, now=_at(4)).topics[0]
    assert topic.mastery == pytest.approx(store.mastery(_at(4))["single-q"] / 6)
    assert topic.mastery > 0.9 / 6


# -- retention and stats -------------------------------------------------------------------------
def test_retention_counts_reviews_only_and_waits_for_enough(tmp_path: Path) -> None:
    content = load_content(COURSE)
    store = open_store(tmp_path / "p.sqlite3")
    for minute in range(20):  # automatic checks: attempts, never in retention
        store.record_check("toy", "fail", 0, 2, seen=False, at=_at(minute))
    for index in range(MIN_REVIEWS - 1):
        store.record_answer(f"q{index}", "right" if index % 3 else "wrong", at=_at(30 + index))
    store.record_answer("q0", "right", first=False, at=_at(50))  # a re-try
    stats = compute(store, content, now=_at(60))
    assert stats.reviews == MIN_REVIEWS - 1 and stats.retention is None
    assert retention_text(stats, "en").startswith("— (shown after 10 reviews; 9 so far)")
    store.record_check("toy", "pass", 2, 2, seen=False, at=_at(61))
    stats = compute(store, content, now=_at(62))
    # 9 answers (3 wrong) and one exercise review: 7 of 10 not Again
    assert stats.reviews == MIN_REVIEWS and stats.retention == pytest.approx(0.7)
    assert sum(d["right"] for d in stats.history) == 7
    assert sum(d["wrong"] for d in stats.history) == 3


def test_stats_before_any_answer_and_streak_wording() -> None:
    result = runner.invoke(app, ["--content", str(COURSE), "stats"])
    assert result.exit_code == 0
    assert "Due today 0 (now 0)" in result.output and "retention —" in result.output
    assert "streak 0 days" in result.output and "Nothing answered yet" in result.output
    assert "Mastery:" in result.output  # the definition is shown where the number is
    assert (days_text(1, "en"), days_text(2, "en")) == ("1 day", "2 days")
    assert (days_text(1, "zh"), days_text(3, "zh")) == ("1 天", "3 天")
    runner.invoke(
        app, ["--content", str(COURSE), "quiz", "-k", "numeric", "-d", "1"], input="0.5\n"
    )
    assert "streak 1 day ·" in runner.invoke(app, ["--content", str(COURSE), "progress"]).output
    zh = runner.invoke(app, ["--content", str(COURSE), "--lang", "zh", "stats"]).output
    assert "连续 1 天" in zh and "掌握程度" in zh


def test_lang_applies_to_one_command() -> None:
    runner.invoke(app, ["--content", str(COURSE), "--lang", "zh", "stats"])
    settings = Path(os.environ["KDQUIZ_HOME"]) / "settings.json"
    assert not settings.exists() or json.loads(settings.read_text()).get("lang") != "zh"


# -- saves that are always seen ------------------------------------------------------------------
def _watch(path: Path) -> tuple[list[str], threading.Event, threading.Thread]:
    seen: list[str] = []
    stop = threading.Event()

    def collect() -> None:
        for digest in watching.saves(path, stop):
            seen.append(digest)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    time.sleep(0.4)
    return seen, stop, thread


def _until(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("how", ["in-place", "rename", "delete-create"])
def test_every_kind_of_save_is_seen_again_and_again(tmp_path: Path, how: str) -> None:
    path = tmp_path / "kd_loss.py"
    path.write_text("v0")
    seen, stop, thread = _watch(path)
    try:
        for version in range(1, 4):  # the first rename used to silence the watcher for good
            text = f"v{version}"
            if how == "in-place":
                path.write_text(text)
            elif how == "rename":
                tmp = tmp_path / ".kd_loss.py.tmp"
                tmp.write_text(text)
                os.replace(tmp, path)
            else:
                path.unlink()
                time.sleep(0.1)
                path.write_text(text)
            assert _until(lambda v=version: len(seen) >= v), (how, version, seen)
            assert seen[-1] == watching.digest(path)
    finally:
        stop.set()
        thread.join(5)
    assert len(seen) == 3


def test_a_burst_of_saves_ends_on_the_last_content(tmp_path: Path) -> None:
    path = tmp_path / "kd_loss.py"
    path.write_text("v0")
    seen, stop, thread = _watch(path)
    try:
        for version in range(30):
            path.write_text(f"burst {version}")
        assert _until(lambda: bool(seen) and seen[-1] == watching.digest(path))
        time.sleep(0.3)
        assert seen[-1] == watching.digest(path) and len(seen) < 30
    finally:
        stop.set()
        thread.join(5)


# -- a busy or unwritable database, with real processes ------------------------------------------
LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO events (item_id, kind, at, event) VALUES ('other', 'question', 0, 'log')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    return locker


def test_a_write_kept_while_another_process_holds_the_lock_is_saved_when_free(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.sqlite3"
    open_store(db).close()
    locker = _hold_lock(db, 2.0)
    store = open_store(db, patience=0.3)
    assert store.record_answer("q", "right") is False  # busy: kept, not lost, not an error
    assert store.unsaved == 1
    assert store.due(datetime.now(timezone.utc) + timedelta(days=400)) == []  # reads still work
    locker.wait(10)
    assert store.flush(5.0) and store.unsaved == 0
    assert _reviews(store, "q") == [GOOD]
    assert len(store.events()) == 2  # ours and the other process's
    store.close()
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_command_during_a_long_lock_says_so_and_never_calls_it_damage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    open_store(db).close()
    monkeypatch.setattr(session, "END_PATIENCE", 0.5)
    monkeypatch.setattr(session, "ANSWER_PATIENCE", 0.2)
    locker = _hold_lock(db, 4.0)
    try:
        result = runner.invoke(
            app, ["--content", str(COURSE), "quiz", "-k", "numeric", "-d", "1"], input="0.5\n"
        )
    finally:
        locker.wait(10)
    assert result.exit_code == 0, result.output
    assert "this answer is kept" in result.output
    assert "1 answer(s) were NOT saved" in result.output  # told plainly, never silently lost
    assert "locked by another program" in result.output
    assert "copy was kept" not in result.output and "reset" not in result.output
    assert not list(db.parent.glob("*.damaged-*")) and not list(db.parent.glob("*.corrupt-*"))


def _read_only_command(home: Path, argv: list[str]) -> list[str]:
    """``argv`` run with ``home`` read-only: a read-only bind mount in a private mount namespace
    when the tests run as root (root ignores permissions), else plain permissions."""
    import shutil

    if os.geteuid() != 0:
        (home / "progress.sqlite3").chmod(0o444)
        home.chmod(0o555)
        return argv
    if not shutil.which("unshare"):
        pytest.skip("running as root without unshare: cannot make a read-only home")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(home), *argv]


def test_a_read_only_home_is_named_not_called_damage(tmp_path: Path) -> None:
    home = tmp_path / "ro-home"
    home.mkdir()
    store = open_store(home / "progress.sqlite3")
    store.record_answer("numeric-q", "wrong")
    store.close()
    before = (home / "progress.sqlite3").read_bytes()
    env = {**os.environ, "KDQUIZ_HOME": str(home), "KDQUIZ_WORKSPACE": str(tmp_path / "ws")}
    argv = [sys.executable, "-m", "kdquiz", "--content", str(COURSE), "quiz", "-k", "numeric"]
    argv += ["-d", "1"]
    try:
        result = subprocess.run(
            _read_only_command(home, argv),
            input="0.5\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        home.chmod(0o755)
    said = result.stdout + result.stderr
    if "mount" in result.stderr and "permission denied" in result.stderr.lower():
        pytest.skip("this machine does not allow a read-only bind mount")
    assert "read-only" in said and "KDQUIZ_HOME" in said and str(home) in said, said
    assert "copy was kept" not in said and "Traceback" not in said, said
    assert not list(home.glob("*.damaged-*"))
    assert (home / "progress.sqlite3").read_bytes() == before


def test_sqlite_and_os_errors_are_sorted() -> None:
    import errno
    import sqlite3

    from kdquiz.core.store_file import BUSY, DAMAGED, READ_ONLY, classify

    assert classify(sqlite3.OperationalError("database is locked")) == BUSY
    assert classify(sqlite3.OperationalError("attempt to write a readonly database")) == READ_ONLY
    assert classify(sqlite3.DatabaseError("file is not a database")) == DAMAGED
    assert classify(PermissionError(errno.EACCES, "denied")) == READ_ONLY
    assert classify(OSError(errno.EROFS, "read-only file system")) == READ_ONLY


def test_a_busy_open_waits_then_says_busy(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    db.write_bytes(b"")  # a fresh file: creating the schema needs the write lock
    locker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys,time\n"
            "d=sqlite3.connect(sys.argv[1],isolation_level=None)\n"
            "d.execute('BEGIN EXCLUSIVE');print('locked',flush=True);time.sleep(3)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    try:
        with pytest.raises(StoreBusy):
            open_store(db, patience=0.5)
    finally:
        locker.wait(10)
    open_store(db).close()  # free again: opens


def test_ctrl_c_in_a_plain_terminal_quiz_ends_with_the_summary() -> None:
    import signal

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kdquiz",
            "--content",
            str(COURSE),
            "quiz",
            "-k",
            "numeric",
            "-n",
            "2",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("0.5\n")  # one answer; then the learner presses Ctrl-C at the next prompt
    proc.stdin.flush()
    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    assert _until(lambda: db.exists() and _answers(db) >= 1, 60)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "(quiz interrupted)" in output and "Traceback" not in output
    tail = output.rstrip().splitlines()
    assert tail[-1].startswith("Done: ") and tail[-2] == ""  # a new line, then the summary
    assert "Your answer (a number): \n" in output or "\n(quiz interrupted)" in output


def _answers(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_push_due_puts_an_item_in_the_queue_without_judging_it(tmp_path: Path) -> None:
    """The API interview mode uses for weak items: due now, no review, mastery untouched."""
    store = open_store(tmp_path / "p.sqlite3")
    store.record_answer("known", "right", at=_at(0))
    before = store.mastery(_at(1))["known"]
    assert [i for i, _k, _d in store.due(_at(1))] == []
    store.push_due("known", "question", at=_at(1), reason="interview")
    store.push_due("fresh", "question", at=_at(1), reason="interview")
    assert {i for i, _k, _d in store.due(_at(2))} == {"known", "fresh"}
    assert _reviews(store, "known") == [GOOD] and _reviews(store, "fresh") == []
    assert store.mastery(_at(1))["known"] == pytest.approx(before)
    assert store.mastery(_at(1))["fresh"] == 0.0
    store.record_answer("fresh", "right", at=_at(3))  # answering it is an ordinary review
    assert _reviews(store, "fresh") == [GOOD]


def test_review_forecast_counts_what_fsrs_schedules_per_day(isolated_home) -> None:  # type: ignore[no-untyped-def]
    """The Progress forecast: items due on each of the next 14 days, overdue ones today."""
    from datetime import datetime, timedelta, timezone

    from kdquiz.core.progress import GOOD, open_store
    from kdquiz.core.stats import FORECAST_DAYS, forecast_text, review_forecast

    now = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
    store = open_store()
    try:
        store.push_due("a", "question", at=now - timedelta(days=2))  # overdue: today
        store.record_answer("c", "wrong", at=now)  # Again: back within minutes, today
        for day in (0, 1, 3):  # b answered right on three days: FSRS spaces it out
            store.record_answer("b", "right", at=now - timedelta(days=30 - day))
        store.review("d", "question", GOOD, event="answer", at=now - timedelta(days=40))
        forecast = review_forecast(store, {"a", "b", "c", "d"}, now)
        due = {i: d for i, _k, d in store.due(now + timedelta(days=365))}
    finally:
        store.close()
    assert len(forecast) == FORECAST_DAYS and forecast[0]["date"] == "2026-06-15"
    today = now.astimezone().date()
    expected = [0] * FORECAST_DAYS
    for when in due.values():
        offset = max(0, (when.astimezone().date() - today).days)
        if offset < FORECAST_DAYS:
            expected[offset] += 1
    assert [d["due"] for d in forecast] == expected
    assert expected[0] >= 2  # a (overdue) and c (Again)
    text = forecast_text(forecast, "zh")
    assert text.startswith("未来 14 天") and text.splitlines()[2].split()[0] == str(expected[0])
