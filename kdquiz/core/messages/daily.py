"""The daily loop: quiz, review, progress, stats, the store's errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
