"""What isolation this machine gives a submission, and why not strict: the same steps a
sandboxed child takes (``sandbox.enter_strict``), tried in a throwaway child process without
torch, so ``kdquiz doctor`` answers in a fraction of a second."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class IsolationProbe:
    level: str
    """"strict" or "basic": what ``--isolation auto`` gives here."""
    reason: str
    """Why not strict (empty when strict works)."""


def probe_isolation() -> IsolationProbe:
    """Fork, try to enter the strict sandbox in the child, and report what happened."""
    if not sys.platform.startswith("linux"):
        return IsolationProbe("basic", f"strict isolation needs Linux namespaces ({sys.platform})")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        answer: dict[str, str] = {"level": "strict", "reason": ""}
        try:
            from kdquiz.grading import sandbox

            sandbox.enter_strict(sandbox.plan_hidden([]), as_root=os.geteuid() == 0)
        except Exception as exc:  # noqa: BLE001 - reported, not raised: this is a probe
            answer = {"level": "basic", "reason": str(exc) or type(exc).__name__}
        os.write(write_end, json.dumps(answer).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    try:
        answer = json.loads(b"".join(chunks) or b"{}")
        return IsolationProbe(answer["level"], answer["reason"])
    except (ValueError, KeyError):
        return IsolationProbe("basic", "the probe process died before it could answer")
