"""Messages that carry results from workers to the screens that own the state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ContentLoaded(Message):
    """The content tree finished loading (``error`` is the first problem, if any)."""

    content: Any
    error: str


class LanguageChanged(Message):
    """The learner switched language: every screen re-renders its words."""


@dataclass
class TestFinished(Message):
    """One hidden test of a running check finished."""

    exercise_id: str
    result: Any


@dataclass
class CheckFinished(Message):
    """A whole check finished (``result`` is a SubmissionResult, or None with ``error``)."""

    exercise_id: str
    result: Any
    error: str = ""


@dataclass
class FileChanged(Message):
    """The learner's exercise file was saved (by any editor)."""

    exercise_id: str
