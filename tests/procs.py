"""Reading /proc for the tests that check which processes exist (Linux only)."""

from __future__ import annotations

from pathlib import Path


def stat_fields(pid: int | str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state first, then the parent's
    pid, the process group, the session...); [] when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def parent_of(pid: int | str) -> int:
    """The parent's pid, or -1 when the process is gone."""
    fields = stat_fields(pid)
    return int(fields[1]) if fields else -1
