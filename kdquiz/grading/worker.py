"""The judge's side of the sandbox: start the warm zygote, fork a sandboxed child per submission,
and talk to it with deadlines.

The judge never runs submission code; it only sends plain-data requests over a socket and reads
plain-data replies (see :mod:`kdquiz.grading.protocol`). A deadline that passes kills the child's
whole process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kdquiz.grading import protocol
from kdquiz.grading.proxy import SubmissionLost

OUTPUT_CAP = 8 * 1024


class ZygoteError(RuntimeError):
    """The warm worker could not start."""


class Zygote:
    """A warm worker process that has imported torch and forks sandboxes on request.

    ``share()`` gives another judge process its own channel to the same warm worker
    (:meth:`attach` on the other side), so ``grade --jobs N`` imports torch for sandboxes once.
    """

    process: subprocess.Popen[bytes] | None

    def __init__(self) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_parent = str(Path(__file__).resolve().parent.parent.parent)
        code = (
            "import sys; sys.path.insert(0, sys.argv.pop(2)); "
            "from kdquiz.grading.zygote import main; main()"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KDQUIZ_", "PYTHON"))}
        env["OMP_NUM_THREADS"] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(child.fileno()), package_parent],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
        child.close()
        self.control = parent
        self._ready = False
        self._warm = False
        self._lock = threading.Lock()

    @classmethod
    def attach(cls, control: socket.socket) -> Zygote:
        """A handle on a warm worker started by another process (see :meth:`share`)."""
        zygote = cls.__new__(cls)
        zygote.process = None
        zygote.control = control
        zygote._ready = True
        zygote._warm = False
        zygote._lock = threading.Lock()
        return zygote

    def share(self) -> socket.socket:
        """A new control channel to this warm worker, for another judge process."""
        self.wait_ready()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with self._lock:
            socket.send_fds(self.control, [b"C"], [mine.fileno()])
            ready, _, _ = select.select([self.control], [], [], 30.0)
            reply = self.control.recv(1) if ready else b""
        mine.close()
        if reply != b"R":
            theirs.close()
            raise ZygoteError("the grading worker stopped")
        return theirs

    def wait_ready(self, timeout: float = 60.0) -> None:
        if self._ready:
            return
        readable, _, _ = select.select([self.control], [], [], timeout)
        if not readable or self.control.recv(1) != b"R":
            self.close()
            raise ZygoteError("the grading worker did not start (is torch installed?)")
        self._ready = True

    @contextlib.contextmanager
    def warming_up(self) -> Iterator[None]:
        """Have the warm worker run :func:`kdquiz.grading.builders.warm_up` before it forks
        again, while the caller does the same in its own process (the two overlap). Once per
        handle: later calls only run the caller's part (a no-op import by then)."""
        self.wait_ready()
        if self._warm:
            yield
            return
        with self._lock:
            socket.send_fds(self.control, [b"W"], [])
            try:
                yield
            finally:
                ready, _, _ = select.select([self.control], [], [], 60.0)
                reply = self.control.recv(1) if ready else b""
        if reply != b"R":
            raise ZygoteError("the grading worker stopped")
        self._warm = True

    def spawn(self, config: dict[str, Any], deadline: float) -> SandboxedChild:
        """Fork a sandboxed child for one submission (config: source, isolation, limits, plan)."""
        self.wait_ready()
        judge_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_read, out_write = os.pipe()
        scratch = tempfile.mkdtemp(prefix="kdquiz-sandbox-")
        os.chmod(scratch, 0o700)
        with self._lock:
            socket.send_fds(self.control, [b"F"], [child_end.fileno(), out_write])
            reply = self.control.recv(256)
        child_end.close()
        os.close(out_write)
        if not reply:
            raise ZygoteError("the grading worker stopped")
        pid = int(json.loads(reply.decode())["pid"])
        child = SandboxedChild(judge_end, pid, out_read, deadline, scratch)
        config = {**config, "scratch": scratch}
        protocol.send_frame(judge_end.fileno(), json.dumps(config).encode("utf-8"))
        return child

    def close(self) -> None:
        try:
            self.control.close()
        except OSError:
            pass
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SandboxedChild:
    """One submission's process, seen from the judge: the transport hidden tests talk through."""

    def __init__(
        self, sock: socket.socket, pid: int, output_fd: int, deadline: float, scratch: str
    ) -> None:
        self.sock = sock
        self.pid = pid
        self.deadline = deadline
        self.scratch = scratch
        self.lost: SubmissionLost | None = None
        self._output = bytearray()
        self._output_truncated = False
        self._reader = threading.Thread(target=self._drain, args=(output_fd,), daemon=True)
        self._reader.start()

    def _drain(self, fd: int) -> None:
        # Read everything so the child never blocks on a full pipe; keep only the first bytes.
        try:
            while chunk := os.read(fd, 65536):
                room = OUTPUT_CAP - len(self._output)
                if room > 0:
                    self._output += chunk[:room]
                if len(chunk) > room:
                    self._output_truncated = True
        except OSError:
            pass
        finally:
            os.close(fd)

    @property
    def output(self) -> str:
        text = self._output.decode("utf-8", errors="replace")
        return text + ("\n[output truncated]" if self._output_truncated else "")

    def _receive(self) -> dict[str, Any]:
        fd = self.sock.fileno()
        header = self._read(fd, 8)
        size = int.from_bytes(header, "big")
        if size > protocol.MAX_MESSAGE_BYTES:
            self._lose("protocol", "reply too large")
        payload = self._read(fd, size)
        try:
            message = protocol.loads(payload)
        except Exception:  # noqa: BLE001 - anything unreadable is a protocol violation
            self._lose("protocol", "unreadable reply")
        if not isinstance(message, dict):
            self._lose("protocol", "reply is not a mapping")
        return message

    def _read(self, fd: int, size: int) -> bytes:
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self._lose("timeout")
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                self._lose("timeout")
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                self._lose("crashed")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _lose(self, reason: str, detail: str = "") -> Any:
        self.kill()
        self.lost = SubmissionLost(reason, detail)
        raise self.lost

    def hello(self) -> dict[str, Any]:
        """The child's first message: its isolation level and functions, or why it could not load."""
        return self._receive()

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        if self.lost is not None:
            raise SubmissionLost(self.lost.reason, self.lost.detail)
        try:
            protocol.send_frame(self.sock.fileno(), protocol.dumps(message))
        except OSError:
            self._lose("crashed")
        return self._receive()

    def kill(self) -> None:
        """Kill the child's whole process group (and, in strict mode, its PID namespace)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def close(self) -> None:
        self.kill()
        self._reader.join(timeout=1.0)
        shutil.rmtree(self.scratch, ignore_errors=True)
