"""Shared fixtures: every test runs with its own data directory and workspace.

Nothing a test does may touch the user's home, collection included: before any test module is
imported, the session's data directory and workspace are pointed at a temporary folder (removed
at the end); each test then gets its own (``isolated_home``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="kdquiz-tests-"))
os.environ["KDQUIZ_HOME"] = str(_SESSION_HOME / "home")
os.environ["KDQUIZ_WORKSPACE"] = str(_SESSION_HOME / "workspace")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)  # an xdist hook; the judge's own pytest runs without xdist
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two test workers per core. Most of a test's time is spent waiting for the
    processes it starts (warm workers, sandboxes, whole kdquiz commands), so one worker per core
    leaves the cores idle; more than two per core gains nothing (measured on 2 cores). At most
    12: each worker holds torch and a warm worker (about 0.7 GB together)."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - macOS
        cores = os.cpu_count() or 1
    return min(12, 2 * cores)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` first, each group in its usual order: with several test
    workers, a long test that starts last is the whole run's tail."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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


class _SessionWorker:
    """One warm worker per test process, started when a test first grades with it. Its
    environment carries ``KDQ_TEST_RUN=<SESSION_RUN>``, and so do the sandboxes it forks: the
    leftover checks of test_grading find its sandboxes by that, and leave the worker itself out
    by its pid."""

    def __init__(self) -> None:
        self.worker: Any = None

    def get(self) -> Any:
        if self.worker is None:
            from kdquiz.grading.worker import WarmWorker

            marker = os.environ.get("KDQ_TEST_RUN")
            os.environ["KDQ_TEST_RUN"] = SESSION_RUN
            try:
                self.worker = WarmWorker()
            finally:
                if marker is None:
                    del os.environ["KDQ_TEST_RUN"]
                else:
                    os.environ["KDQ_TEST_RUN"] = marker
        return self.worker

    def pid(self) -> int | None:
        """The worker's own process, once started."""
        return self.worker.process.pid if self.worker is not None else None


SESSION_RUN = f"{os.getpid()}-session-{time.time_ns()}"
SESSION_WORKER = _SessionWorker()


@pytest.fixture(scope="session")
def _session_worker():  # type: ignore[no-untyped-def]
    yield SESSION_WORKER
    if SESSION_WORKER.worker is not None:
        SESSION_WORKER.worker.close()


@pytest.fixture
def zygote(_session_worker):  # type: ignore[no-untyped-def]
    """The session's warm worker, for tests that grade with it directly (sandboxes are forked
    fresh for each grading)."""
    return _session_worker.get()


@pytest.fixture
def shared_worker(_session_worker, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The commands and apps in this test use one warm worker of the session (torch imported
    once) instead of starting their own; for tests that are not about starting a worker. (A
    `grade --jobs N` with N > 1 still starts its own, to share with its judge processes.)"""
    from kdquiz.grading import worker

    monkeypatch.setattr(worker, "start", lambda: _Shared(_session_worker.get()))
    return _session_worker
