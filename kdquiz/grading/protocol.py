"""The plain-data protocol between the judge and the sandboxed submission.

A request names a function of the submission and its arguments; the reply carries the return
value, any requested gradients, and what happened to each built object. Both directions use the
codec of :mod:`kdquiz.grading.wire` (JSON for the structure, raw tensor bytes whose sizes are
declared up front; no pickle), which can only produce tensors and plain containers: nothing the
child sends can run code in the judge or make it allocate more than the reply's size, and a
returned value is data that cannot lie about its value.

``execute_call`` is the child's side; it also runs in-process for authoring tests
(:class:`kdquiz.grading.proxy.LocalTransport`), so the two paths behave the same.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from kdquiz.grading import wire
from kdquiz.grading.builders import (
    ModelSpec,
    OptimizerSpec,
    Stream,
    StreamIterable,
    build_model,
    build_optimizer,
)

MAX_MESSAGE_BYTES = wire.MAX_FRAME_BYTES
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Unsupported:
    """A value the child could not send as plain data (its type name only)."""

    type_name: str


def encode(value: Any) -> Any:
    """Turn suite-side values (tensors, scalars, containers, specs) into plain data."""
    import torch

    if isinstance(value, ModelSpec):
        return {
            "__spec__": "model",
            "arch": value.arch,
            "options": encode(value.options),
            "state": encode(value.state),
            "train": value.train,
            "prefill_grads": value.prefill_grads,
            "frozen": value.frozen if isinstance(value.frozen, bool) else list(value.frozen),
            "dtype": value.dtype,
        }
    if isinstance(value, Stream):
        return {
            "__spec__": "stream",
            "items": [encode(v) for v in value.items],
            "reshuffle": value.reshuffle,
        }
    if isinstance(value, OptimizerSpec):
        return {
            "__spec__": "optimizer",
            "kind": value.kind,
            "model_arg": value.model_arg,
            "options": encode(value.options),
        }
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
        if not tensor.is_contiguous() and tensor.dim() > 1:
            # A transposed, permuted or channels-last tensor arrives with the same layout: the
            # data in memory order, and the permutation that gives the original view back.
            order = sorted(range(tensor.dim()), key=lambda d: (-tensor.stride()[d], d))
            base = tensor.permute(order)
            if base.is_contiguous():
                return {"__spec__": "permuted", "data": base.clone(), "order": order}
        return tensor.clone().contiguous()
    if isinstance(value, tuple):
        return tuple(encode(v) for v in value)
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise TypeError(f"cannot send {type(value).__name__} to a submission")


def to_plain(value: Any, depth: int = 0) -> Any:
    """The child's side of sending a result: keep only exact plain types.

    Tensor subclasses, custom objects and anything with an overridden ``__eq__`` become
    :class:`Unsupported`-shaped markers, so the judge reports their type instead of trusting them.
    """
    import torch

    if depth > 20:
        return {"__unsupported__": "nesting too deep"}
    kind = type(value)
    if kind is torch.Tensor or kind is torch.nn.Parameter:
        dtype = str(value.dtype).removeprefix("torch.")
        if (
            value.layout != torch.strided
            or value.device.type != "cpu"
            or value.is_quantized
            or dtype not in wire.DTYPES
        ):
            return {"__unsupported__": f"{value.layout} {dtype} tensor on {value.device}"}
        return value.detach().clone().contiguous()
    if kind in (tuple, list):
        items = [to_plain(v, depth + 1) for v in value]
        return tuple(items) if kind is tuple else items
    if kind is dict:
        return {str(k): to_plain(v, depth + 1) for k, v in value.items() if type(k) in (str, int)}
    if value is None or kind in (bool, int, float, str):
        return value
    return {"__unsupported__": kind.__name__}


def from_plain(value: Any) -> Any:
    """The judge's side: turn unsupported markers into :class:`Unsupported`."""
    if isinstance(value, dict):
        if set(value) == {"__unsupported__"}:
            return Unsupported(str(value["__unsupported__"]))
        return {k: from_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(from_plain(v) for v in value)
    return value


def dumps(message: Any) -> bytes:
    """Serialise a message of plain data (see :mod:`kdquiz.grading.wire`)."""
    return wire.dumps(message)


def loads(data: bytes) -> Any:
    """Read a message; only tensors and plain containers can come out, within size budgets."""
    return wire.loads(data)


class _Built:
    def __init__(self) -> None:
        self.models: dict[Any, tuple[Any, Any]] = {}
        self.optimizers: dict[Any, Any] = {}


def _frozen(value: Any) -> bool | tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return bool(value)


def _materialise(value: Any, key: Any, built: _Built) -> Any:
    if isinstance(value, dict) and value.get("__spec__") == "permuted":
        order = [int(d) for d in value["order"]]
        inverse = sorted(range(len(order)), key=order.__getitem__)
        return value["data"].permute(inverse)
    if isinstance(value, dict) and value.get("__spec__") == "stream":
        reshuffle = value.get("reshuffle")
        return StreamIterable(
            [_materialise(v, None, built) for v in value["items"]],
            None if reshuffle is None else int(reshuffle),
        )
    if isinstance(value, dict) and value.get("__spec__") == "model":
        spec = ModelSpec(
            value["arch"],
            dict(value["options"]),
            value["state"],
            bool(value["train"]),
            bool(value.get("prefill_grads", False)),
            _frozen(value.get("frozen", False)),
            None if value.get("dtype") is None else str(value["dtype"]),
        )
        model, recorder = build_model(spec)
        built.models[key] = (model, recorder)
        return model
    if isinstance(value, tuple):
        return tuple(_materialise(v, None, built) for v in value)
    if isinstance(value, list):
        return [_materialise(v, None, built) for v in value]
    if isinstance(value, dict) and "__spec__" not in value:
        return {k: _materialise(v, None, built) for k, v in value.items()}
    return value


def _object_report(model: Any, recorder: Any) -> dict[str, Any]:
    named = list(model.named_parameters())
    return {
        "state": {k: to_plain(v) for k, v in model.state_dict().items()},
        "training": bool(model.training),
        "requires_grad": {n: bool(p.requires_grad) for n, p in named},
        "has_grad": {n: p.grad is not None and bool(p.grad.abs().sum() > 0) for n, p in named},
        "grads": {n: p.grad.detach().clone() for n, p in named if p.grad is not None},
        "is_leaf": {n: bool(p.is_leaf) for n, p in named},
        **recorder.as_data(),
    }


def _slot(args: list[Any], kwargs: dict[str, Any], key: Any) -> tuple[Any, Any]:
    """The container and index that hold the argument named by a grad_of key."""
    if isinstance(key, (tuple, list)):
        holder: Any = args if isinstance(key[0], int) else kwargs
        for part in key[:-1]:
            holder = holder[part]
        if isinstance(holder, tuple):
            raise TypeError("grad_of paths must go through lists, not tuples")
        return holder, key[-1]
    return (args if isinstance(key, int) else kwargs), key


def execute_call(namespace: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """Run one call of the submission (the child's side) and build the plain-data reply."""
    import torch

    name = request["fn"]
    func = namespace.get(name)
    if not callable(func):
        return {"ok": False, "error": {"type": "MissingFunction", "message": name, "traceback": ""}}
    built = _Built()
    args = [_materialise(a, i, built) for i, a in enumerate(request["args"])]
    kwargs = {k: _materialise(v, k, built) for k, v in request["kwargs"].items()}
    for key, value in [*enumerate(request["args"]), *request["kwargs"].items()]:
        if isinstance(value, dict) and value.get("__spec__") == "optimizer":
            target = built.models.get(value["model_arg"])
            if target is None:
                raise ValueError("optimizer spec refers to an argument that is not a model")
            opt = build_optimizer(
                OptimizerSpec(value["kind"], value["model_arg"], dict(value["options"])), target[0]
            )
            if isinstance(key, int):
                args[key] = opt
            else:
                kwargs[key] = opt
    grad_of = list(request.get("grad_of", ()))
    # A key is a positional index, a keyword name, or a path into a list argument such as
    # (1, 0): element 0 of argument 1 (a teacher in a list of teachers).
    for key in grad_of:
        holder, slot = _slot(args, kwargs, key)
        if isinstance(holder[slot], torch.Tensor):
            holder[slot] = holder[slot].detach().clone().requires_grad_(True)
    watched = _watch_inputs(func, args, kwargs)
    try:
        value = func(*args, **kwargs)
        grads: dict[Any, Any] = {}
        if grad_of:
            if isinstance(value, torch.Tensor) and value.requires_grad and value.numel() == 1:
                value.backward()
            for key in grad_of:
                holder, slot = _slot(args, kwargs, key)
                grad = getattr(holder[slot], "grad", None)
                grads[key if not isinstance(key, (tuple, list)) else ".".join(map(str, key))] = (
                    None if grad is None else grad.detach().clone()
                )
    except BaseException as exc:  # noqa: BLE001 - the submission may raise anything, even SystemExit
        reply: dict[str, Any] = {"ok": False, "error": describe_exception(exc)}
        try:  # what it changed before raising (a partial update) is visible too
            reply["objects"] = {key: _object_report(m, r) for key, (m, r) in built.models.items()}
            reply["mutated"] = _mutated(watched)
        except BaseException:  # noqa: BLE001 - the objects may be broken beyond reporting
            pass
        return reply
    return {
        "ok": True,
        "value": to_plain(value),
        "grads": grads,
        "objects": {key: _object_report(m, r) for key, (m, r) in built.models.items()},
        "mutated": _mutated(watched),
    }


def _watch_inputs(func: Any, args: list[Any], kwargs: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, value, copy) for every tensor handed to the function, and for every list and
    dict holding them, so a function that changes its inputs in place is caught (the caller's
    tensors would be changed, or its list would hold other tensors). Labels use the function's
    parameter names where they can be bound."""
    import inspect

    import torch

    names: dict[Any, str] = {}
    try:
        bound = inspect.signature(func).bind_partial(*args, **kwargs)
        positional = list(bound.arguments)
        names = {i: positional[i] for i in range(min(len(args), len(positional)))}
    except (TypeError, ValueError):
        pass
    found: list[tuple[str, Any, Any]] = []

    def walk(value: Any, label: str) -> None:
        if type(value) is torch.Tensor:
            found.append((label, value, (value.detach().clone(), value.requires_grad)))
        elif isinstance(value, (list, tuple)):
            if isinstance(value, list):
                found.append((label, value, [id(item) for item in value]))
            for index, item in enumerate(value):
                walk(item, f"{label}[{index}]")
        elif isinstance(value, dict):
            found.append((label, value, [(key, id(item)) for key, item in value.items()]))
            for key, item in value.items():
                walk(item, f"{label}[{key!r}]")

    for index, value in enumerate(args):
        walk(value, names.get(index, f"argument {index + 1}"))
    for key, value in kwargs.items():
        walk(value, key)
    return found


def _mutated(watched: list[tuple[str, Any, Any]]) -> list[str]:
    """The labels of the watched inputs that changed: a tensor's shape, dtype, values or
    requires_grad flag, or which items a list or dict holds."""
    import torch

    changed = []
    for label, value, before in watched:
        if isinstance(value, list):
            same = [id(item) for item in value] == before
        elif isinstance(value, dict):
            same = [(key, id(item)) for key, item in value.items()] == before
        else:
            data, requires_grad = before
            now = value.detach()
            same = (
                now.shape == data.shape
                and now.dtype == data.dtype
                and value.requires_grad == requires_grad
            )
            if same and not torch.equal(now, data):
                both_nan = torch.isnan(now) & torch.isnan(data) if now.is_floating_point() else None
                same = both_nan is not None and bool(((now == data) | both_nan).all())
        if not same:
            changed.append(label)
    return changed


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """Name, message and the submission's own part of the traceback, capped."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if f.filename.endswith("submission.py")]
    lines = [f"line {f.lineno}, in {f.name}: {f.line}" for f in mine[-5:]]
    kinds = [cls.__name__ for cls in type(exc).__mro__ if cls.__module__ == "builtins"]
    return {
        "type": type(exc).__name__,
        "builtin_bases": kinds,
        "message": str(exc)[:MAX_ERROR_CHARS],
        "traceback": "\n".join(lines)[:MAX_ERROR_CHARS],
    }


# --- framing (see kdquiz.grading.wire) --------------------------------------------------------


def send_frame(fd: int, payload: bytes) -> None:
    """Write one frame to a file descriptor (blocking)."""
    wire.send_frame(fd, payload)


def recv_frame(fd: int) -> bytes | None:
    """Read one frame from a file descriptor; None at end of file (the child's side: the judge
    is trusted and has no deadline to keep here)."""
    return wire.read_frame(fd)
