"""Anki export, the browser app, doctor, and failure pictures."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
