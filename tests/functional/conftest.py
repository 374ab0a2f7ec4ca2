"""Fixtures for driving the app with Textual's Pilot, and SVG snapshots.

Snapshots live in tests/snapshots/. After an intended change to the look of a screen, run
``KDQUIZ_UPDATE_SNAPSHOTS=1 python -m pytest tests/functional`` and review the new SVGs.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kdquiz.tui.app import KdquizApp

from ..conftest import COURSE

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
FROZEN = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _one_warm_worker(shared_worker: object) -> None:
    """The apps of these tests check with the session's warm worker (no test here is about
    starting one)."""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A private copy of the fixture course (tests may change it)."""
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


@pytest.fixture
def make_app(course: Path):  # type: ignore[no-untyped-def]
    def make(lang: str = "en") -> KdquizApp:
        app = KdquizApp(lang=lang, content_dir=course)
        app.fixed_now = FROZEN
        return app

    return make


async def settle(app: KdquizApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for workers and the resulting refreshes (deterministic screens)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.05)


def _normalise(svg: str) -> str:
    # Textual names its CSS classes with a hash of the terminal's id: keep the picture, not the hash.
    return re.sub(r"terminal-\d+", "terminal", svg)


async def assert_snapshot(app: KdquizApp, pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Compare the screen, once everything pending has rendered, with tests/snapshots/NAME.svg."""
    await settle(app, pilot)
    app.screen.refresh(layout=True)
    await pilot.pause(0.1)
    svg = _normalise(app.export_screenshot(title="kdquiz"))
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("KDQUIZ_UPDATE_SNAPSHOTS") == "1":
        path.write_text(svg, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"snapshot {path.name} is missing: generate it with KDQUIZ_UPDATE_SNAPSHOTS=1")
    assert svg == path.read_text(encoding="utf-8"), (
        f"screen differs from {path}; if the change is intended, run with KDQUIZ_UPDATE_SNAPSHOTS=1"
    )
