"""The learner's exercise files and their per-exercise state (hints seen, passed, gave up).

The state is a small JSON file in the data directory, written atomically (write, fsync, rename),
so a crash never leaves it half-written. A corrupt file is kept aside as a backup, never silently
replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kdquiz.core import locations


@dataclass
class ExerciseState:
    """What kdquiz remembers about one exercise for this learner."""

    hints_shown: int = 0
    """How many hint levels the learner has seen."""
    passed: bool = False
    """Whether a check has ever passed."""
    gave_up: bool = False
    """Whether the learner asked for the solution before passing."""
    last_score: str = ""
    """The last check's score, e.g. '7/8'."""
    events: list[dict[str, object]] = field(default_factory=list)
    """Time-stamped log: started, hint, check, give-up."""


class StateError(Exception):
    """The state file cannot be read (it is kept as a backup)."""


def workspace_dir() -> Path:
    return locations.default_workspace()


def exercise_file(exercise_id: str) -> Path:
    """The learner's file for an exercise."""
    return workspace_dir() / f"{exercise_id}.py"


def _state_path() -> Path:
    return locations.data_dir() / "exercises.json"


def load_states() -> dict[str, ExerciseState]:
    path = _state_path()
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {k: ExerciseState(**v) for k, v in raw.items()}
    except (ValueError, TypeError) as exc:
        backup = path.with_suffix(f".corrupt-{int(time.time())}.json")
        shutil.copy2(path, backup)
        raise StateError(
            f"{path} is corrupt ({exc}); a copy was kept at {backup}. Move it away to start afresh."
        ) from None


def save_states(states: dict[str, ExerciseState]) -> None:
    path = _state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({k: asdict(v) for k, v in states.items()}, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def update(exercise_id: str, event: str, **changes: object) -> ExerciseState:
    """Apply changes to one exercise's state and log the event, atomically."""
    states = load_states()
    state = states.setdefault(exercise_id, ExerciseState())
    for key, value in changes.items():
        setattr(state, key, value)
    state.events.append(
        {"at": time.time(), "event": event, **{k: v for k, v in changes.items() if k != "events"}}
    )
    save_states(states)
    return state


def start(exercise_id: str, starter: Path, overwrite: bool = False) -> tuple[Path, bool]:
    """Copy the starter into the workspace unless the learner's file exists; (path, created)."""
    target = exercise_file(exercise_id)
    if target.exists() and not overwrite:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.copy2(target, target.with_suffix(f".py.bak-{int(time.time())}"))
    shutil.copyfile(starter, target)
    return target, True
