"""What every grading module shares about how a call or a test ended (a leaf: imports nothing
from kdquiz.grading, so any module can use it without an import cycle).

- :class:`Feedback`: a check failed, with a learner-facing message in both languages (raised by
  the checks of :mod:`kdquiz.grading.suite`).
- :class:`SubmissionRaised`: the submission's function raised; its exception, as plain data.
- :class:`SubmissionLost`: the sandboxed process died, timed out or broke the protocol.
- :func:`safe_text`: any text bound for a terminal, HTML or XML, stripped and capped.
- :func:`where_and_error`: the error line of a traceback and where it was raised.

A submission's overall status is :class:`kdquiz.core.status.Status`.
"""

from __future__ import annotations

import re
from typing import Any


class Feedback(AssertionError):
    """A learner-facing failure message in both languages."""

    def __init__(
        self,
        en: str,
        zh: str | None = None,
        kind: str = "value",
        picture: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        #: plain data the learner may see (kdquiz.grading.picture), or None
        self.picture = picture
        #: type | shape | dtype | finite | value | raises | custom | mutation (an input changed
        #: in place). A test's feedback advice is added to value, raises and custom failures;
        #: the others speak for themselves.
        self.kind = kind

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class SubmissionRaised(Exception):
    """The submission's function raised; carries its exception's name and message."""

    def __init__(self, error: dict[str, Any], objects: dict[Any, Any] | None = None) -> None:
        #: The state of every model argument when it raised (a partial update shows here).
        self.objects = dict(objects or {})
        self.type_name = str(error.get("type", "Exception"))
        self.builtin_bases = [str(b) for b in error.get("builtin_bases", [])]
        self.message = str(error.get("message", ""))
        self.traceback = str(error.get("traceback", ""))
        super().__init__(f"{self.type_name}: {self.message}")

    def is_a(self, name: str) -> bool:
        """Whether the raised exception is (a subclass of) the builtin exception ``name``."""
        return name == self.type_name or name in self.builtin_bases


class SubmissionLost(Exception):
    """The sandboxed process died, timed out or broke the protocol; no more calls are possible."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason  # 'timeout' | 'crashed' | 'memory' | 'protocol' | 'load' | 'missing'
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


def safe_text(text: str, limit: int = 600) -> str:
    """Feedback travels to terminals, HTML and XML: control characters become ``?`` and the text
    is capped at ``limit`` characters."""
    cleaned = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)|^([^\s:]+\.py):(\d+):', re.MULTILINE)


ERROR_LINE = re.compile(r"^E?\s*[A-Za-z_.]*(Error|Exception)\b")


def where_and_error(text: str) -> tuple[str, str]:
    """``file:line`` and the error line of a traceback or a pytest collection report (a syntax
    error, an ImportError raised by the suite...), the last location outside the Python
    installation; ``""`` for what is not found."""
    where = ""
    for match in _FILE_LINE.finditer(text):
        file = match.group(1) or match.group(3)
        line = match.group(2) or match.group(4)
        if "site-packages" in file or "/lib/python" in file or "<frozen" in file:
            continue
        where = f"{file}:{line}"
    errors = [
        re.sub(r"^E\s+", "", line.strip())  # pytest's "E   " before each line of the error
        for line in text.splitlines()
        if ERROR_LINE.match(line.strip())
    ]
    return where, errors[-1] if errors else ""
