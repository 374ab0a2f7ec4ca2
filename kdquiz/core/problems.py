"""Problems found in content, reported as ``file:line:column: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a content file."""

    file: str
    """Path of the file, as given or relative to the content root."""
    line: int
    """1-based line (0 when the problem concerns the whole file)."""
    column: int
    """1-based column."""
    message: str
    """What is wrong and, where possible, what to do."""
    severity: str = "error"
    """'error' fails validation; 'warning' is reported but passes."""

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}:{self.column}: {tag}{self.message}"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close (case does not count:
    'KD_Loss' suggests 'kd_loss')."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        if candidate != word:  # never suggest the word itself
            by_lower.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


def display_path(path: Path, root: Path | None) -> str:
    """A path relative to the content root when it is inside it, else as given."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)
