"""The warm worker: a fresh process that imports torch once and forks a new sandbox per submission.

It is started by the judge (``python -m kdquiz.grading.zygote FD``) and never holds a hidden
suite, a reference or an expected value: it only pre-imports torch and kdquiz's child-side code,
so a child forked from it inherits nothing secret. Each fork request arrives on a Unix socket with
two file descriptors (the child's channel to the judge and its output pipe) and a JSON config
holding the submission's source and the sandbox plan.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

CHANNEL_FD = 3


def _child(channel: int, output: int) -> None:
    """Runs in the forked child: confine, load the submission, then serve calls. Never returns."""
    from kdquiz.grading import protocol, sandbox

    frame = protocol.recv_frame(channel)  # the judge's config: JSON, from the trusted side
    if frame is None:
        os._exit(0)
    config: dict[str, Any] = json.loads(frame.decode("utf-8"))
    try:
        os.setsid()
        sandbox.prctl(sandbox.PR_SET_PDEATHSIG, signal.SIGKILL)
        sandbox.reset_signals()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.dup2(channel, CHANNEL_FD)
        os.closerange(CHANNEL_FD + 1, 4096)
        level, reason = "basic", ""
        wanted = config.get("isolation", "auto")
        if wanted != "basic" and sys.platform.startswith("linux"):
            try:
                sandbox.enter_strict(config.get("hidden", {}), as_root=os.geteuid() == 0)
                level = "strict"
            except OSError as exc:
                reason = str(exc)
        if wanted == "strict" and level != "strict":
            _send(
                protocol,
                {"ok": False, "fatal": f"strict isolation is not available here ({reason})"},
            )
            os._exit(0)
        if level == "strict":
            pid = os.fork()  # the first child of a new PID namespace is its init
            if pid:
                for fd in (0, 1, 2, CHANNEL_FD):
                    os.close(fd)
                os.waitpid(pid, 0)
                os._exit(0)
            sandbox.prctl(sandbox.PR_SET_PDEATHSIG, signal.SIGKILL)
            sandbox.after_pid_namespace()
            scratch = "/tmp/work"
            os.makedirs(scratch, exist_ok=True)
            os.chmod(scratch, 0o777)
            sandbox.drop_privileges()
        else:
            scratch = config["scratch"]
        os.chdir(scratch)
        sandbox.prctl(sandbox.PR_SET_NO_NEW_PRIVS, 1)
        sandbox.clean_environment(scratch)
        sandbox.apply_limits(
            int(config.get("memory_mb", 2048)),
            int(config.get("cpu_seconds", 60)),
            int(config.get("max_processes", 64)),
        )
        sys.path[:] = [p for p in sys.path if p and os.path.isabs(p)]
    except BaseException:  # noqa: BLE001 - report, never hang the judge
        _send(
            protocol,
            {"ok": False, "fatal": "sandbox setup failed: " + traceback.format_exc(limit=3)},
        )
        os._exit(0)
    _serve(protocol, config, level, scratch)


def _send(protocol: Any, message: dict[str, Any]) -> None:
    protocol.send_frame(CHANNEL_FD, protocol.dumps(message))


def _serve(protocol: Any, config: dict[str, Any], level: str, scratch: str) -> None:
    import types

    source = config["source"]
    path = os.path.join(scratch, "submission.py")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
    except OSError:
        pass
    module = types.ModuleType("submission")
    module.__file__ = path
    sys.modules["submission"] = module
    try:
        code = compile(source, path, "exec")
        exec(code, module.__dict__)  # noqa: S102 - this is the sandboxed child: running it is the point
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        _send(
            protocol,
            {"ok": False, "load_error": protocol.describe_exception(exc), "isolation": level},
        )
        os._exit(0)
    functions = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
    _send(protocol, {"ok": True, "isolation": level, "functions": functions})
    while True:
        frame = protocol.recv_frame(CHANNEL_FD)
        if frame is None:
            os._exit(0)
        request = protocol.loads(frame)
        try:
            reply = protocol.execute_call(vars(module), request)
        except BaseException as exc:  # noqa: BLE001
            reply = {"ok": False, "error": protocol.describe_exception(exc)}
        sys.stdout.flush()
        _send(protocol, reply)


def main() -> None:
    """Serve fork requests on the control socket, and on every further control socket the judge
    hands over (``C`` + one descriptor): one warm worker can serve several judge processes
    (``kdquiz grade --jobs N``). Ends when the first control socket closes."""
    import select

    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    import torch  # the one expensive import every submission shares

    torch.set_num_threads(1)
    import kdquiz.grading.builders  # noqa: F401 - child-side code, loaded before any fork
    import kdquiz.grading.protocol  # noqa: F401
    import kdquiz.grading.sandbox  # noqa: F401

    torch.zeros(1).sum()  # initialise torch's lazy state once, single-threaded
    control.sendall(b"R")
    controls = [control]
    while True:
        readable, _, _ = select.select(controls, [], [])
        for sock in readable:
            try:
                message, fds, _flags, _addr = socket.recv_fds(sock, 64, 2)
            except OSError:
                message, fds = b"", []
            if message == b"C" and len(fds) == 1:
                controls.append(socket.socket(fileno=fds[0]))
                sock.sendall(b"R")
                continue
            if message == b"W" and not fds:  # warm up before forking (builders.warm_up)
                kdquiz.grading.builders.warm_up()
                sock.sendall(b"R")
                continue
            if message != b"F" or len(fds) != 2:
                for fd in fds:
                    os.close(fd)
                if sock is control:
                    return
                controls.remove(sock)
                sock.close()
                continue
            pid = os.fork()
            if pid == 0:
                for other in controls:
                    other.close()
                _child(fds[0], fds[1])
                os._exit(0)
            for fd in fds:
                os.close(fd)
            sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    main()
