"""The ``submission`` a hidden test receives: a proxy whose calls run in the sandboxed child.

``submission.distillation_loss(s, t, y)`` sends the arguments as plain data, waits for the reply
and returns the value (or raises :class:`SubmissionRaised` with the submission's exception). Use
``submission.f.call(..., grad_of=[0])`` to also get gradients with respect to tensor arguments and
the state of every built model (see :mod:`kdquiz.grading.builders`).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kdquiz.grading import protocol
from kdquiz.grading.outcomes import Feedback, SubmissionLost, SubmissionRaised

__all__ = [
    "CallResult",
    "LocalTransport",
    "RemoteFunction",
    "Submission",
    "SubmissionLost",
    "SubmissionRaised",
    "Transport",
]


@dataclass
class CallResult:
    """Everything one call sent back."""

    value: Any
    grads: dict[Any, Any] = field(default_factory=dict)
    objects: dict[Any, dict[str, Any]] = field(default_factory=dict)


class Transport(Protocol):
    def request(self, message: dict[str, Any]) -> dict[str, Any]: ...


class RemoteFunction:
    """One function of the submission."""

    def __init__(self, transport: Transport, name: str) -> None:
        self._transport = transport
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(*args, **kwargs).value

    def call(
        self, *args: Any, grad_of: tuple[Any, ...] | list[Any] = (), **kwargs: Any
    ) -> CallResult:
        message = {
            "op": "call",
            "fn": self.name,
            "args": [protocol.encode(a) for a in args],
            "kwargs": {k: protocol.encode(v) for k, v in kwargs.items()},
            "grad_of": [list(k) if isinstance(k, tuple) else k for k in grad_of],
        }
        reply = self._transport.request(message)
        mutated = [str(m) for m in reply.get("mutated") or []]
        if mutated:
            _input_changed(mutated)
        if not reply.get("ok"):
            error = reply.get("error") or {}
            if error.get("type") == "MissingFunction":
                raise SubmissionLost("missing", self.name)
            raise SubmissionRaised(error, reply.get("objects"))
        grads = {
            tuple(int(p) if p.isdigit() else p for p in k.split("."))
            if isinstance(k, str) and "." in k
            else k: v
            for k, v in dict(reply.get("grads") or {}).items()
        }
        return CallResult(
            protocol.from_plain(reply.get("value")),
            grads,
            dict(reply.get("objects") or {}),
        )


def _input_changed(labels: list[str]) -> None:
    """Every check fails when the submission changed a tensor it was given: a caller's data must
    never be modified by a loss or helper (models are handed over as specs and are not watched)."""
    shown = ", ".join(f"`{label}`" for label in labels[:3])
    raise Feedback(
        f"changes its input {shown} in place, so the caller's tensor is modified: work on a copy "
        "or use out-of-place operations (x = x / T, not x /= T)",
        f"原地修改了输入 {shown}，调用者的张量被改掉了：请在副本上操作，或使用非原地运算"
        "（写 x = x / T，不要写 x /= T）",
        kind="mutation",
    )


class Submission:
    """Attribute access returns the submission's function of that name."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __getattr__(self, name: str) -> RemoteFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return RemoteFunction(self._transport, name)


class LocalTransport:
    """Runs the submission in this process. Only for authoring and the project's own tests of
    suites: it is NOT a sandbox. The messages still round-trip through the wire format."""

    def __init__(self, path: Path) -> None:
        spec = importlib.util.spec_from_file_location(f"_kdquiz_local_{abs(hash(path))}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        self.namespace = vars(module)

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        request = protocol.loads(protocol.dumps(message))
        reply = protocol.execute_call(self.namespace, request)
        return protocol.loads(protocol.dumps(reply))
