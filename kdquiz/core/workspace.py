"""The learner's exercise files, and their state as recorded in the progress store.

A file is only ever created from the starter when it does not exist (or on an explicit
``--force``, which keeps a backup first), so a learner's work is never overwritten silently.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from kdquiz.core import locations
from kdquiz.core.progress import ProgressStore


@dataclass
class ExerciseState:
    """What the progress store says about one exercise for this learner."""

    hints_shown: int = 0
    """How many hint levels the learner has seen."""
    passed: bool = False
    """Whether a check has ever passed."""
    gave_up: bool = False
    """Whether the learner asked for the solution before passing."""
    last_score: str = ""
    """The last check's score, e.g. '7/8'."""
    last_status: str = ""
    """The last check's status (pass, fail, error, timeout), '' before any check."""
    last_at: float | None = None
    """When the last check finished (a timestamp)."""
    reviewed_today: int | None = None
    """The rating of today's review (at most one a day), None if it had none today."""
    last_check_rating: int | None = None
    """The rating the last check was recorded with: set only when that check was the review."""


def workspace_dir() -> Path:
    """KDQUIZ_WORKSPACE, else the folder chosen in Settings, else ~/kdquiz-workspace."""
    import os

    from kdquiz.core.settings import load_settings

    if not os.environ.get("KDQUIZ_WORKSPACE"):
        chosen = load_settings().workspace
        if chosen:
            return Path(chosen).expanduser()
    return locations.default_workspace()


def exercise_file(exercise_id: str) -> Path:
    """The learner's file for an exercise."""
    return workspace_dir() / f"{exercise_id}.py"


def exercise_state(
    store: ProgressStore, exercise_id: str, now: float | None = None
) -> ExerciseState:
    """Fold the exercise's recorded events into its current state."""
    from kdquiz.core.counting import local_day

    today = local_day(now if now is not None else time.time())
    state = ExerciseState()
    for event in store.events(exercise_id):
        if event.event == "hint":
            state.hints_shown = max(state.hints_shown, int(event.details().get("level", 0)))
        elif event.event == "check":
            state.passed = state.passed or event.outcome == "pass"
            state.last_score = str(event.details().get("score", ""))
            state.last_status = event.outcome or ""
            state.last_at = event.at
            state.last_check_rating = event.rating
        elif event.event == "give-up":
            state.gave_up = True
        if event.rating is not None and today[0] <= event.at < today[1]:
            state.reviewed_today = event.rating
    return state


def is_untouched_starter(path: Path, starter: Path) -> bool:
    """Whether the learner's file is still the starter as written (in either language): a check
    of it fails by design, and its failure says nothing about the learner."""
    from kdquiz.core import starters

    try:
        mine = path.read_text(encoding="utf-8")
        source = starter.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(mine == starters.render(source, lang) for lang in starters.LANGS)


def start(
    exercise_id: str, starter: Path, lang: str = "en", overwrite: bool = False
) -> tuple[Path, bool]:
    """Write the starter, in the learner's language (:mod:`kdquiz.core.starters`), into the
    workspace unless the learner's file exists; returns (path, created)."""
    from kdquiz.core import starters

    target = exercise_file(exercise_id)
    if target.exists() and not overwrite:
        return target, False
    text = starters.render(starter.read_text(encoding="utf-8"), lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.copy2(target, target.with_suffix(f".py.bak-{int(time.time())}"))
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target, True
