"""Shared fixtures: every test runs with its own data directory and workspace.

Nothing a test does may touch the user's home, collection included: before any test module is
imported, the session's data directory and workspace are pointed at a temporary folder (removed
at the end); each test then gets its own (``isolated_home``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="kdquiz-tests-"))
os.environ["KDQUIZ_HOME"] = str(_SESSION_HOME / "home")
os.environ["KDQUIZ_WORKSPACE"] = str(_SESSION_HOME / "workspace")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


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


class _Shared:
    """A warm worker shared by many commands: their `with`/close() leave it running."""

    def __init__(self, worker: object) -> None:
        self._worker = worker

    def __enter__(self) -> object:
        return self._worker

    def __exit__(self, *exc: object) -> None:
        pass

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._worker, name)


@pytest.fixture(scope="session")
def _session_worker():  # type: ignore[no-untyped-def]
    from kdquiz.grading.worker import WarmWorker

    # Not marked as one of test_grading's own workers (it counts those as leftovers).
    marker = os.environ.pop("KDQ_TEST_RUN", None)
    try:
        worker = WarmWorker()
    finally:
        if marker is not None:
            os.environ["KDQ_TEST_RUN"] = marker
    yield worker
    worker.close()


@pytest.fixture
def shared_worker(_session_worker, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """CLI commands in this test use one warm worker of the session (torch imported once)
    instead of starting their own; for tests that are not about starting a worker."""
    from kdquiz.cli import context

    monkeypatch.setattr(context, "warm_worker", lambda: _Shared(_session_worker))
    return _session_worker
