"""A mock interview without a UI: the session as it is saved, its clock, and its saving.

A session (:class:`Session`) is a list of steps planned once (:mod:`kdquiz.core.interview_plan`):
two or three concept questions, each followed by deeper follow-ups, then one exercise posed only
as its interviewer's prompt. Every step has a time budget; a step may run until the sum of the
budgets up to it is used up, so time saved early is available later (:meth:`Session.time_left`).
Comparing an answer with the model answer (ticking key points) is not interview time.

The scorecard and its documented verdict rules are :mod:`kdquiz.core.interview_score`; the
candidate's coding file is :mod:`kdquiz.core.interview_file`. The session is a JSON file in the
data directory, rewritten atomically after every change, so a crash or Ctrl-C leaves a session
that ``kdquiz interview --resume`` (or the app) continues. Nothing here imports a UI or torch;
the CLI and the app both drive these functions.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

SESSION_FORMAT = 1
MIN_MINUTES, MAX_MINUTES = 5, 180
DEFAULT_MINUTES, DEFAULT_LEVEL = 30, 2


class InterviewError(Exception):
    """A session cannot be planned or loaded: ``key`` and ``values`` say why, in words of the
    message catalogue (``str()`` is the English)."""

    def __init__(self, key: str, **values: object) -> None:
        from kdquiz.core.i18n import t

        super().__init__(t(key, "en", **values))
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        from kdquiz.core.i18n import t

        return t(self.key, lang, **self.values)


# -- the clock ----------------------------------------------------------------------------------
class Clock(Protocol):
    """Seconds from an arbitrary origin (monotonic): all a session needs to know about time."""

    def now(self) -> float: ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to (tests, and ``KDQUIZ_FAKE_CLOCK`` in the CLI)."""

    def __init__(self, start: float = 0.0) -> None:
        self.moment = start

    def now(self) -> float:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += seconds


# -- the session ------------------------------------------------------------------------------
@dataclass
class Run:
    """One grading of the candidate's file (a run during coding, or the final grading)."""

    status: str
    score: int
    max_score: int
    failing: list[tuple[str, str]] = field(default_factory=list)
    """(test name, feedback message) of every test that did not pass."""
    message: str = ""


@dataclass
class Step:
    """One thing the interviewer asks: a concept question, a follow-up, or the coding task."""

    kind: str
    """'concept', 'follow_up' or 'coding'."""
    item_id: str
    """The question's or the exercise's id."""
    budget_s: float
    """The time this step is planned to take."""
    parent: str = ""
    """For a follow-up: the question it digs into."""
    params: dict[str, float] = field(default_factory=dict)
    """Numbers drawn for a numeric template."""
    answer: str = ""
    """What the candidate typed (kept even when time ran out)."""
    ticked: list[int] = field(default_factory=list)
    """Open answers: the key points (0-based) the candidate says they covered."""
    correct: bool | None = None
    """Multiple-choice or numeric fallback: whether the answer was right."""
    elapsed_s: float = 0.0
    """Interview time spent on this step so far."""
    timed_out: bool = False
    """Whether time ran out before the candidate finished."""
    done: bool = False
    """Whether the step is over (answered and compared, or graded)."""
    recorded: bool = False
    """Whether the step went into the review queue."""
    file: str = ""
    """Coding: the candidate's file."""
    clarifications: list[int] = field(default_factory=list)
    """Coding: the clarifications asked (indices into the exercise's list), in order."""
    runs: list[Run] = field(default_factory=list)
    """Coding: the checks run during the step."""
    hints: int = 0
    """Coding: hints shown."""
    result: Run | None = None
    """Coding: the final grading of the last saved file."""


@dataclass
class Session:
    """A whole interview, as saved after every change."""

    id: str
    started_at: float
    """Wall-clock time (epoch seconds) the session began."""
    lang: str
    minutes: int
    level: int
    seed: int
    topic: str = ""
    seeded: bool = False
    """Whether the seed was given (then the learner's weak topics were not consulted)."""
    steps: list[Step] = field(default_factory=list)
    status: str = "running"
    """'running' until the scorecard is made, then 'finished'."""
    finished_at: float | None = None
    format: int = SESSION_FORMAT

    # -- timing --------------------------------------------------------------------------------
    def allowance_end(self, index: int) -> float:
        """Seconds of interview time by which step ``index`` must be over."""
        return sum(step.budget_s for step in self.steps[: index + 1])

    def used_before(self, index: int) -> float:
        return sum(step.elapsed_s for step in self.steps[:index])

    def time_left(self, index: int, elapsed: float | None = None) -> float:
        """Seconds left for step ``index`` after ``elapsed`` seconds on it (default: as saved)."""
        spent = self.steps[index].elapsed_s if elapsed is None else elapsed
        return self.allowance_end(index) - self.used_before(index) - spent

    def allowance(self, index: int) -> float:
        """All the time step ``index`` may take (its budget plus time saved before it)."""
        return self.allowance_end(index) - self.used_before(index)

    @property
    def current(self) -> int | None:
        """The first step not over, or None when every step is."""
        return next((i for i, step in enumerate(self.steps) if not step.done), None)

    @property
    def coding(self) -> Step | None:
        return next((s for s in self.steps if s.kind == "coding"), None)

    def position(self, index: int) -> tuple[int, int]:
        """(1-based number, count) of step ``index`` among the steps of its kind."""
        kind = self.steps[index].kind
        same = [i for i, s in enumerate(self.steps) if s.kind == kind]
        return same.index(index) + 1, len(same)


def format_clock(seconds: float) -> str:
    """'12:05' (minutes:seconds), '0:00' once time is up."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


# -- answering ----------------------------------------------------------------------------------
def finish_answer(session: Session, index: int, answer: str, elapsed: float) -> bool:
    """Keep the candidate's answer and the time spent on it; time beyond the step's allowance is
    not counted (the interviewer moves on then, keeping what was said). True if time ran out."""
    step = session.steps[index]
    allowance = session.allowance(index)
    step.answer = answer
    step.timed_out = elapsed >= allowance
    step.elapsed_s = round(min(elapsed, allowance), 2)
    return step.timed_out


def finish(session: Session) -> None:
    session.status = "finished"
    session.finished_at = time.time()


def run_from_result(result: Any) -> Run:
    """A grading result (:class:`kdquiz.grading.judge.SubmissionResult`) as the session keeps it."""
    failing = [(test.name, test.message) for test in result.tests if test.status != "pass"]
    return Run(str(result.status), result.score, result.max_score, failing, result.message)


# -- saving -------------------------------------------------------------------------------------
def sessions_dir() -> Path:
    """Where sessions are saved: ``interviews/`` in the data directory."""
    from kdquiz.core import locations

    return locations.data_dir() / "interviews"


def session_path(session_id: str) -> Path:
    return sessions_dir() / f"{session_id}.json"


def save(session: Session) -> Path:
    """Write the session atomically (a crash leaves the previous version, never half a file)."""
    path = session_path(session.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(asdict(session), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _run_from(data: dict[str, Any] | None) -> Run | None:
    if data is None:
        return None
    return Run(
        data["status"],
        int(data["score"]),
        int(data["max_score"]),
        [(str(n), str(m)) for n, m in data.get("failing", [])],
        data.get("message", ""),
    )


def _step_from(data: dict[str, Any]) -> Step:
    known = {f.name for f in fields(Step)}
    values = {k: v for k, v in data.items() if k in known}
    values["runs"] = [_run_from(r) for r in data.get("runs", [])]
    values["result"] = _run_from(data.get("result"))
    return Step(**values)


def load(path: Path) -> Session:
    """A saved session; :class:`InterviewError` if the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format", 0) > SESSION_FORMAT:
            raise ValueError("written by a newer kdquiz")
        known = {f.name for f in fields(Session)}
        values = {k: v for k, v in data.items() if k in known}
        values["steps"] = [_step_from(s) for s in data.get("steps", [])]
        return Session(**values)
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InterviewError("iv.error.unreadable", path=path, reason=exc) from None


def history() -> list[Session]:
    """Every saved session, newest first (unreadable files are skipped)."""
    folder = sessions_dir()
    if not folder.is_dir():
        return []
    sessions = []
    for path in folder.glob("*.json"):
        try:
            sessions.append(load(path))
        except InterviewError:
            continue
    return sorted(sessions, key=lambda s: (s.started_at, s.id), reverse=True)


def resumable() -> Session | None:
    """The newest session that is not finished, if any."""
    return next((s for s in history() if s.status != "finished"), None)
