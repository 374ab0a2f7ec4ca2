"""The judge, the sandbox and the feedback of the grading engine."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
