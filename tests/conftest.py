"""Shared fixtures: every test runs with its own data directory and workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COURSE = FIXTURES / "course"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real home: data and workspace live in the test's temp dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("KDQUIZ_HOME", str(home))
    monkeypatch.setenv("KDQUIZ_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("KDQUIZ_CONTENT", raising=False)
    monkeypatch.setenv("KDQUIZ_LANG", "en")
    return home
