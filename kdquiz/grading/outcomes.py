"""What every grading module shares about how a call or a test ended (a leaf: imports nothing
from kdquiz.grading, so any module can use it without an import cycle).

- :class:`Feedback`: a check failed, with a learner-facing message in both languages (raised by
  the checks of :mod:`kdquiz.grading.suite`).
- :class:`SubmissionRaised`: the submission's function raised; its exception, as plain data.
- :class:`SubmissionLost`: the sandboxed process died, timed out or broke the protocol.
- :func:`safe_text`: any text bound for a terminal, HTML or XML, stripped and capped.

A submission's overall status is :class:`kdquiz.core.status.Status`.
"""

from __future__ import annotations

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
