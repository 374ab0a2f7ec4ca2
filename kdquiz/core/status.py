"""The shared vocabulary of grading outcomes, used by every layer (a leaf: imports nothing).

A submission's status is one of :class:`Status`; a single hidden test's status is ``pass``,
``fail`` or ``error`` (never ``timeout``: a test cut short by a timeout is an ``error``). The
values are the strings of the JSON grading contract, so ``Status.PASS == "pass"`` holds and a
status can be written to JSON, CSV or SQLite as it is.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """How a grading (of a submission, or of one hidden test) ended."""

    PASS = "pass"
    """Every hidden test passed (for a test: it passed)."""
    FAIL = "fail"
    """The file loaded and ran, and some hidden test did not pass."""
    ERROR = "error"
    """The file could not be loaded (syntax error, exception at import, missing function) or
    its process crashed; for a test: the submission raised or was lost during it."""
    TIMEOUT = "timeout"
    """The submission ran past its time limit (whole submissions only)."""

    def __str__(self) -> str:  # the contract's string, as enum.StrEnum (3.11+) would print it
        return self.value

    @property
    def passed(self) -> bool:
        """Whether this is a pass."""
        return self is Status.PASS
