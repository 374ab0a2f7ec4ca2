"""Interview mode: the session, its clock and the scorecard."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
