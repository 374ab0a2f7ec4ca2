"""A learner's day, replayed with real processes (issue 14's "done when"): answers right and
wrong, an exercise reached through failing rename-saves under ``check --watch``, a lock held by
another process for 15 seconds during an answer, and a Ctrl-C during a check. The day must end
with exactly the reviews, mastery and retention the counting rules give, nothing lost and no copy
of the database made."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kdquiz.core.progress import AGAIN, GOOD, open_store

from .conftest import COURSE
from .procs import parent_of
from .test_daily import _hold_lock

BASE = [sys.executable, "-m", "kdquiz", "--content", str(COURSE)]
GOOD_CODE = "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n    return x * 2\n"
WRONG_CODES = (
    "import torch\n\ndef double(x):\n    return x * 3\n",
    "import torch\n\ndef double(x):\n    return x + x + 1\n",
)


def _quiz(kind: list[str], answers: str) -> str:
    done = subprocess.run(
        [*BASE, "quiz", *kind], input=answers, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


class _Lines:
    """The output of a running process, read by a thread, so the test can wait for a line."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert proc.stdout is not None
        stream = proc.stdout
        threading.Thread(target=lambda: self.lines.extend(stream), daemon=True).start()

    def wait(self, condition: Callable[[list[str]], bool], timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(list(self.lines)):
                return
            time.sleep(0.05)
        raise AssertionError("".join(self.lines))


def _count(prefix: str) -> Callable[[list[str]], int]:
    return lambda lines: sum(line.startswith(prefix) for line in lines)


def _rename_save(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        parent = parent_of(entry.name)
        if parent != -1:
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _wait_for_a_running_sandbox(check: int, timeout: float = 120) -> None:
    """Until the check's warm worker has forked a sandbox (a grandchild of the check) and the
    sandbox has been running (sleeping in the submission's import) for a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tree = _children()
        if any(tree.get(worker) for worker in tree.get(check, [])):
            time.sleep(1.0)
            return
        time.sleep(0.05)
    raise AssertionError("the check never started its sandbox")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_learners_day_ends_with_the_reviews_the_rules_give() -> None:
    home = Path(os.environ["KDQUIZ_HOME"])
    db = home / "progress.sqlite3"

    # -- morning: answers right and wrong ------------------------------------------------------
    _quiz(["-k", "numeric", "-d", "1"], "0.5\n")  # numeric-q right
    _quiz(["-k", "single"], "a\n")  # single-q wrong
    multiple = _quiz(["-k", "multiple"], "a\n")  # multiple-q: a right option missed
    assert "You missed the right option c)" in multiple
    _quiz(["-k", "code"], "a\n")  # code-q right
    _quiz(["-k", "short"], "my answer\ng\n")  # short-q self-rated Good (a letter, as in the app)
    _quiz(["-k", "numeric", "-d", "3"], "123\n")  # template-q wrong

    # -- another kdquiz holds the write lock for 15 s while an answer is given -----------------
    locker = _hold_lock(db, 15.0)
    started = time.monotonic()
    during = _quiz(["-k", "single"], "b\n")  # single-q right, while locked
    assert locker.wait(30) == 0
    assert time.monotonic() - started >= 14  # the answer waited for the lock, then was saved
    assert "this answer is kept" in during and "NOT saved" not in during

    # -- afternoon: an exercise reached through failing rename-saves ---------------------------
    subprocess.run([*BASE, "exercise", "start", "toy"], check=True, capture_output=True)
    path = Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py"
    watch = subprocess.Popen(
        [*BASE, "check", "toy", "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = _Lines(watch)
    try:
        output.wait(lambda lines: any(line.startswith("Watching") for line in lines))
        assert _count("FAIL")(output.lines) == 1  # the untouched starter
        for number, code in enumerate(WRONG_CODES, start=2):
            _rename_save(path, code)
            output.wait(lambda lines, n=number: _count("FAIL")(lines) >= n)
        _rename_save(path, GOOD_CODE)
        output.wait(lambda lines: _count("PASS")(lines) >= 1)
        output.wait(lambda lines: any("today's review of toy: Good" in line for line in lines))
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(30)

    # -- a Ctrl-C during a check records nothing ------------------------------------------------
    subprocess.run([*BASE, "exercise", "start", "negate"], check=True, capture_output=True)
    slow = Path(os.environ["KDQUIZ_WORKSPACE"]) / "negate.py"
    slow.write_text("import time\ntime.sleep(120)\n\ndef negate(x):\n    return -x\n")
    check = subprocess.Popen(
        [*BASE, "check", "negate", "--timeout", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for_a_running_sandbox(check.pid)
    check.send_signal(signal.SIGINT)
    said, _ = check.communicate(timeout=60)
    assert "check interrupted: nothing was recorded" in said and "Traceback" not in said

    # -- more answers: enough reviews for retention to mean something ---------------------------
    _quiz(["-k", "numeric", "-d", "1"], "0.5\n")  # numeric-q right again
    _quiz(["-k", "code"], "b\n")  # code-q wrong

    # -- the day's numbers ----------------------------------------------------------------------
    store = open_store(db)
    reviews = {
        item: [e.rating for e in store.events(item) if e.rating is not None]
        for item in ("numeric-q", "single-q", "multiple-q", "code-q", "short-q", "template-q")
    }
    assert reviews == {
        "numeric-q": [GOOD, GOOD],
        "single-q": [AGAIN, GOOD],
        "multiple-q": [AGAIN],
        "code-q": [GOOD, AGAIN],
        "short-q": [GOOD],
        "template-q": [AGAIN],
    }
    toy = store.events("toy")
    assert [e.rating for e in toy if e.rating is not None] == [GOOD]  # one review, automatic saves
    assert [e.outcome for e in toy if e.event == "check"][-1] == "pass"
    assert sum(e.event == "check" and e.outcome != "pass" for e in toy) >= 3  # attempts kept
    assert [e.event for e in store.events("negate")] == ["start"]  # the interrupted check: nothing
    assert len(store.events("other")) == 1  # the other process's write is there too
    store.close()
    stats = json.loads(
        subprocess.run([*BASE, "stats", "--json"], capture_output=True, text=True).stdout
    )
    assert stats["reviews"] == 10
    assert stats["retention"] == pytest.approx(6 / 10)  # 4 Again out of 10 reviews
    # basics: numeric-q, single-q and short-q last answered right (about 1 each), the rest 0
    assert stats["topics"][0]["mastery"] == pytest.approx(3 / 6, abs=0.01)
    assert stats["exercises_passed"] == 1
    assert not list(home.glob("*.damaged-*")) and not list(home.glob("*.corrupt-*"))
