"""The judge's side of the sandbox: its handle on the warm worker, and on each sandboxed child.

Names, once: the **warm worker** is the process that imported torch and forks sandboxes (its code
is :mod:`kdquiz.grading.zygote`, the traditional name of such a process); :class:`WarmWorker` is
the judge's handle on it (start, share, ask for a sandbox, stop); :class:`SandboxedChild` is the
judge's handle on one submission's sandbox.

The judge never runs submission code; it only sends plain-data requests over a socket and reads
plain-data replies (see :mod:`kdquiz.grading.wire`). A deadline that passes kills everything the
sandbox started (its control group, its process group, its PID namespace).
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
from typing import Any, NoReturn

from kdquiz.grading import protocol, wire
from kdquiz.grading.outcomes import SubmissionLost

OUTPUT_CAP = 8 * 1024
MAX_STATUS_BYTES = 64 * 1024
CGROUP_MEMORY_SLACK_MB = 512
"""A sandbox's memory group allows its memory_mb plus this (RLIMIT_AS bounds what it maps)."""


class ZygoteError(RuntimeError):
    """The warm worker could not start."""


class WarmWorker:
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
    def attach(cls, control: socket.socket) -> WarmWorker:
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
        """Fork a sandboxed child for one submission (config: source, isolation, limits, plan).

        The judge creates the sandbox's control group here (see :mod:`kdquiz.grading.cgroups`)
        and keeps the read end of its setup-status pipe."""
        from kdquiz.grading import cgroups

        self.wait_ready()
        judge_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_read, out_write = os.pipe()
        status_read, status_write = os.pipe()
        scratch = tempfile.mkdtemp(prefix="kdquiz-sandbox-")
        os.chmod(scratch, 0o700)
        memory = (int(config.get("memory_mb", 2048)) + CGROUP_MEMORY_SLACK_MB) * 1024 * 1024
        group = cgroups.create(
            cgroups.Limits(pids=int(config.get("max_processes", 64)), memory_bytes=memory)
        )
        try:
            with self._lock:
                socket.send_fds(self.control, [b"F"], [child_end.fileno(), out_write, status_write])
                reply = self.control.recv(256)
        finally:
            child_end.close()
            os.close(out_write)
            os.close(status_write)
        if not reply:
            os.close(status_read)
            if group is not None:
                group.remove()
            raise ZygoteError("the grading worker stopped")
        pid = int(json.loads(reply.decode())["pid"])
        child = SandboxedChild(judge_end, pid, out_read, deadline, scratch, status_read, group)
        config = {
            **config,
            "scratch": scratch,
            "cgroup": group.procs_files() if group is not None else [],
        }
        protocol.send_frame(judge_end.fileno(), json.dumps(config).encode("utf-8"))
        return child

    def close(self) -> None:
        from kdquiz.grading import cgroups

        try:
            self.control.close()
        except OSError:
            pass
        cgroups.reap(5.0)  # the control groups of this process's last sandboxes
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()

    def __enter__(self) -> WarmWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Zygote = WarmWorker
"""The former name of :class:`WarmWorker` (the CLI, the app and older tests still use it)."""


def start() -> WarmWorker:
    """A new warm worker for a command or the app (it starts importing torch at once). The one
    place the faces get theirs: the tests share one across many commands and apps through it."""
    return WarmWorker()


class SandboxedChild:
    """One submission's process, seen from the judge: the transport hidden tests talk through."""

    def __init__(
        self,
        sock: socket.socket,
        pid: int,
        output_fd: int,
        deadline: float,
        scratch: str,
        status_fd: int | None = None,
        group: Any = None,
    ) -> None:
        self.sock = sock
        self.pid = pid
        self.deadline = deadline
        self.scratch = scratch
        self.group = group
        self.lost: SubmissionLost | None = None
        self._status_fd = status_fd
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
        try:
            payload = wire.read_frame(self.sock.fileno(), self.deadline)
        except wire.FrameTimeout:
            self._lose("timeout")
        except wire.WireError:
            self._lose("protocol", "reply too large")
        except OSError:
            self._lose("crashed")
        if payload is None:
            self._lose("crashed")
        try:
            message = wire.loads(payload)
        except wire.WireError:  # anything outside the format is a protocol violation
            self._lose("protocol", "unreadable reply")
        if not isinstance(message, dict):
            self._lose("protocol", "reply is not a mapping")
        return message

    def _lose(self, reason: str, detail: str = "") -> NoReturn:
        self.kill()
        self.lost = SubmissionLost(reason, detail)
        raise self.lost

    def setup_status(self) -> dict[str, Any]:
        """What the sandbox's trusted setup reported before the submission was loaded:
        ``{"isolation": "strict"|"basic", ...}``, ``{"unavailable": why}`` (strict was demanded)
        or ``{"fatal": traceback}``; ``{}`` when the process ended during setup. Read from a pipe the submission never holds, until its end."""
        fd, self._status_fd = self._status_fd, None
        if fd is None:
            return {}
        try:
            data = bytearray()
            while len(data) <= MAX_STATUS_BYTES:
                left = self.deadline - time.monotonic()
                readable, _, _ = select.select([fd], [], [], max(left, 0))
                if not readable:
                    self._lose("timeout")
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(fd)
        try:
            status = json.loads(bytes(data[:MAX_STATUS_BYTES]).decode("utf-8")) if data else {}
        except ValueError:
            status = {}
        if not isinstance(status, dict) or status.get("isolation") not in (None, "strict", "basic"):
            return {}
        return status

    def hello(self) -> dict[str, Any]:
        """The child's first message, after its file was loaded: its functions, or why it could
        not load. Written by code the submission may have replaced: nothing in it is trusted."""
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
        """Kill everything the sandbox started: its control group where there is one, its
        process group, and (through the parent-death signal) its PID namespace."""
        if self.group is not None:
            self.group.kill(wait=0)
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
        if self._status_fd is not None:
            os.close(self._status_fd)
            self._status_fd = None
        self._reader.join(timeout=1.0)
        if self.group is not None:
            self.group.remove()
        shutil.rmtree(self.scratch, ignore_errors=True)
