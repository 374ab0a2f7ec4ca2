"""The wire format between the judge and the sandboxed child: a codec and its framing.

Everything the child sends is hostile, so the format has no code path and declares every size
before anything is allocated (the layout of safetensors, plus JSON for the structure; no pickle,
no compression, no shared references)::

    frame   = length (8 bytes, big-endian) + payload                  length <= MAX_FRAME_BYTES
    payload = header length (4 bytes, big-endian) + header + data     header <= MAX_HEADER_BYTES
    header  = JSON {"v": value, "t": [[dtype, shape, offset, nbytes], ...]}

``value`` is JSON where a list is a list, ``{"T": [...]}`` a tuple, ``{"D": [[key, value], ...]}``
a dict (keys are str or int) and ``{"X": i}`` the i-th tensor of ``t``, whose bytes are
``data[offset:offset + nbytes]`` in the machine's byte order. Decoding checks the dtype against a
fixed list, that ``nbytes`` is exactly what the shape and dtype need and lies inside ``data``, and
walks the value with a depth and node budget; anything else is a :class:`WireError`. So a reply
costs the judge at most about twice its size in memory and time linear in its size.

:func:`read_frame` is the one reader of frames, with an optional deadline; it is used by the
judge (deadline: the submission's time) and by the child (no deadline: the judge is trusted).
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import select
import time
from typing import Any

MAX_FRAME_BYTES = 64 * 1024 * 1024
MAX_HEADER_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_DIMS = 16

DTYPES = (
    "float64",
    "float32",
    "float16",
    "bfloat16",
    "complex128",
    "complex64",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "bool",
)


class WireError(ValueError):
    """A frame or payload that breaks the format (too large, malformed, over budget)."""


class FrameTimeout(Exception):
    """The deadline passed before a whole frame arrived."""


# --- codec ---------------------------------------------------------------------------------


def dumps(message: Any) -> bytes:
    """Encode plain data (None, bool, int, float, str, list, tuple, dict with str/int keys,
    contiguous CPU tensors of a dtype in :data:`DTYPES`) as one payload."""
    import torch

    tensors: list[list[Any]] = []
    chunks: list[bytes] = []
    offset = 0

    def encode(value: Any, depth: int) -> Any:
        nonlocal offset
        if depth > MAX_DEPTH:
            raise TypeError("message nested too deeply")
        kind = type(value)
        if value is None or kind in (bool, int, float, str):
            return value
        if kind is list:
            return [encode(v, depth + 1) for v in value]
        if kind is tuple:
            return {"T": [encode(v, depth + 1) for v in value]}
        if kind is dict:
            pairs = []
            for key, item in value.items():
                if type(key) not in (str, int):
                    raise TypeError(f"cannot send a dict key of type {type(key).__name__}")
                pairs.append([key, encode(item, depth + 1)])
            return {"D": pairs}
        if isinstance(value, torch.Tensor):
            tensor = value.detach()
            dtype = str(tensor.dtype).removeprefix("torch.")
            if (
                dtype not in DTYPES
                or tensor.layout != torch.strided
                or tensor.device.type != "cpu"
                or tensor.is_quantized
            ):
                raise TypeError(f"cannot send a {tensor.layout} {dtype} tensor on {tensor.device}")
            tensor = tensor.contiguous()
            nbytes = tensor.numel() * tensor.element_size()
            data = ctypes.string_at(tensor.data_ptr(), nbytes) if nbytes else b""
            tensors.append([dtype, list(tensor.shape), offset, nbytes])
            chunks.append(data)
            offset += nbytes
            return {"X": len(tensors) - 1}
        raise TypeError(f"cannot send {kind.__name__}")

    header = json.dumps(
        {"v": encode(message, 0), "t": tensors}, separators=(",", ":"), allow_nan=True
    ).encode("utf-8")
    if len(header) > MAX_HEADER_BYTES:
        raise TypeError("message structure too large")
    return len(header).to_bytes(4, "big") + header + b"".join(chunks)


def loads(payload: bytes) -> Any:
    """Decode one payload; raises :class:`WireError` for anything outside the format."""
    import torch

    if len(payload) > MAX_FRAME_BYTES:
        raise WireError("message too large")
    if len(payload) < 4:
        raise WireError("message too short")
    size = int.from_bytes(payload[:4], "big")
    if size > MAX_HEADER_BYTES or 4 + size > len(payload):
        raise WireError("bad header size")
    try:
        header = json.loads(payload[4 : 4 + size].decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise WireError(f"unreadable header ({type(exc).__name__})") from None
    if type(header) is not dict or set(header) != {"v", "t"} or type(header["t"]) is not list:
        raise WireError("bad header")
    data = memoryview(payload)[4 + size :]
    specs = header["t"]
    if len(specs) > MAX_NODES:
        raise WireError("too many tensors")
    tensors = [_tensor(spec, data, torch) for spec in specs]
    nodes = 0

    def decode(value: Any, depth: int) -> Any:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise WireError("message over its size budget")
        kind = type(value)
        if value is None or kind in (bool, int, float, str):
            return value
        if kind is list:
            return [decode(v, depth + 1) for v in value]
        if kind is dict and len(value) == 1:
            tag, body = next(iter(value.items()))
            if tag == "T" and type(body) is list:
                return tuple(decode(v, depth + 1) for v in body)
            if tag == "D" and type(body) is list:
                result: dict[Any, Any] = {}
                for pair in body:
                    if type(pair) is not list or len(pair) != 2 or type(pair[0]) not in (str, int):
                        raise WireError("bad dict entry")
                    result[pair[0]] = decode(pair[1], depth + 1)
                return result
            if tag == "X" and type(body) is int and 0 <= body < len(tensors):
                return tensors[body]
        raise WireError("bad value")

    return decode(header["v"], 0)


def _tensor(spec: Any, data: memoryview, torch: Any) -> Any:
    if type(spec) is not list or len(spec) != 4:
        raise WireError("bad tensor entry")
    dtype, shape, offset, nbytes = spec
    if dtype not in DTYPES or type(shape) is not list or len(shape) > MAX_DIMS:
        raise WireError("bad tensor dtype or shape")
    if not all(type(d) is int and d >= 0 for d in shape):
        raise WireError("bad tensor shape")
    if type(offset) is not int or type(nbytes) is not int or offset < 0 or nbytes < 0:
        raise WireError("bad tensor offset")
    kind = getattr(torch, dtype)
    itemsize = torch.empty((), dtype=kind).element_size()
    if math.prod(shape) * itemsize != nbytes or offset + nbytes > len(data):
        raise WireError("tensor size does not match its data")
    if nbytes == 0:
        return torch.empty(shape, dtype=kind)
    return torch.frombuffer(bytearray(data[offset : offset + nbytes]), dtype=kind).reshape(shape)


# --- framing -------------------------------------------------------------------------------


def send_frame(fd: int, payload: bytes) -> None:
    """Write one frame to a file descriptor (blocking)."""
    data = len(payload).to_bytes(8, "big") + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """Read one frame; None when the other end closed first (between or inside a frame).

    With a ``deadline`` (``time.monotonic()``), :class:`FrameTimeout` when it passes first. The
    declared length is checked against :data:`MAX_FRAME_BYTES` before anything is read."""
    header = _read_exactly(fd, 8, deadline)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > MAX_FRAME_BYTES:
        raise WireError("frame too large")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FrameTimeout
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                raise FrameTimeout
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
