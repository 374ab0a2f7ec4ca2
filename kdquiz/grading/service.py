"""Grading for a long-lived process (the app, interview mode): one warm worker shared by every
check, driven from worker threads.

Nothing here imports Textual; callbacks tell the caller about each finished test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class GradingService:
    """Holds the warm zygote (torch already imported) so a re-check takes a fraction of a second."""

    def __init__(self) -> None:
        from kdquiz.grading import worker

        self._zygote = worker.start()
        self._lock = threading.Lock()

    def check(self, exercise: Any, path: Path, lang: str, on_test: Callable[[Any], None]) -> Any:
        """Grade ``path`` (blocking: call from a worker thread)."""
        from kdquiz.grading.judge import GradeOptions, grade_submission

        with self._lock:
            return grade_submission(
                exercise,
                path,
                self._zygote,
                GradeOptions(lang=lang),
                on_result=on_test,
                shown_path=str(path),
            )

    def close(self) -> None:
        self._zygote.close()
