"""The warm worker: a fresh process that imports torch once and forks a new sandbox per submission.

It is started by the judge's :class:`~kdquiz.grading.worker.WarmWorker` as
``python -c "...; from kdquiz.grading.zygote import main; main()" FD PACKAGE_PARENT`` (FD: its
control socket; PACKAGE_PARENT: where this kdquiz is, put first on ``sys.path``), with a clean
environment, and never holds a hidden suite, a reference or an expected value: it only pre-imports torch and kdquiz's child-side code,
so a child forked from it inherits nothing secret. Each fork request arrives on a Unix socket with
three file descriptors (the child's channel to the judge, its output pipe and the setup-status
pipe) and a JSON config holding the submission's source, the sandbox plan and its control groups.
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
STATUS_FD = 4
MAX_STATUS_BYTES = 64 * 1024


def _child(channel: int, output: int, status: int) -> None:
    """Runs in the forked child: confine, report, load the submission, serve calls. Never returns.

    The setup status (the isolation level reached, or why the sandbox could not be set up) goes
    to the judge on ``status``, a pipe the submission never holds: it is written and closed
    before the submission is loaded, so nothing the submission writes can pass for it.
    """
    from kdquiz.grading import cgroups, protocol, sandbox, seccomp

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
        os.dup2(status, STATUS_FD)
        os.closerange(STATUS_FD + 1, 4096)
        cgroups.join(list(config.get("cgroup", [])))  # before anything else is started
        level, scratch, uid = _confine(config)
        sandbox.become(uid)
        # A uid change clears the parent-death signal: armed only now, it holds for the sandbox.
        sandbox.prctl(sandbox.PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(scratch)
        sandbox.prctl(sandbox.PR_SET_NO_NEW_PRIVS, 1)
        sandbox.clean_environment(scratch)
        sandbox.apply_limits(
            int(config.get("memory_mb", 2048)),
            int(config.get("cpu_seconds", 60)),
            int(config.get("max_processes", 64)),
        )
        filtered = seccomp.install()
        sys.path[:] = [p for p in sys.path if p and os.path.isabs(p)]
    except BaseException:  # noqa: BLE001 - report, never hang the judge
        _status({"fatal": traceback.format_exc(limit=3)})
        os._exit(0)
    _status({"isolation": level, "seccomp": filtered, "separate_uid": uid is not None})
    _serve(protocol, config, level, scratch)


def _confine(config: dict[str, Any]) -> tuple[str, str, int | None]:
    """Enter strict isolation where wanted and possible: (level, scratch directory, the uid to
    become or None). In strict mode this forks: the caller continues as the PID namespace's
    init, and this process stays outside as the intermediate (:func:`_intermediate`)."""
    from kdquiz.grading import sandbox

    level, reason = "basic", ""
    uid: int | None = None
    lock: int | None = None
    wanted = config.get("isolation", "auto")
    as_root = os.geteuid() == 0
    if wanted != "basic" and sys.platform.startswith("linux"):
        try:
            if as_root:
                uid, lock = sandbox.reserve_identity()
            sandbox.enter_strict(config.get("hidden", {}), as_root=as_root)
            level = "strict"
        except OSError as exc:
            reason = str(exc)
    if wanted == "strict" and level != "strict":
        _status({"unavailable": reason})
        os._exit(0)
    if level != "strict":
        if lock is not None:
            os.close(lock)  # strict failed after a uid was reserved: give the slot back
        return level, str(config["scratch"]), None
    pid = os.fork()  # the first child of a new PID namespace is its init
    if pid:
        _intermediate(pid)
    if lock is not None:
        os.close(lock)  # the intermediate holds the uid's lock, not the sandbox
    sandbox.after_pid_namespace()
    scratch = "/tmp/work"
    os.makedirs(scratch, exist_ok=True)
    os.chmod(scratch, 0o777)
    return level, scratch, uid


def _status(message: dict[str, Any]) -> None:
    """Send the setup status to the judge and close the status pipe (once, before any
    submission code runs)."""
    data = json.dumps(message).encode("utf-8")[:MAX_STATUS_BYTES]
    try:
        os.write(STATUS_FD, data)
    finally:
        os.close(STATUS_FD)


def _intermediate(pid: int) -> None:
    """The sandbox's process outside its PID namespace: it holds the uid's lock, and kills the
    namespace's init (and so everything in it) as soon as the judge's end of the channel closes,
    even if the submission ignores the end of the channel. Never returns."""
    import select

    for fd in (0, 1, 2, STATUS_FD):
        os.close(fd)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # Linux < 5.3: only wait
        os.close(CHANNEL_FD)
        os.waitpid(pid, 0)
        os._exit(0)
    poller = select.poll()
    poller.register(CHANNEL_FD, select.POLLRDHUP)
    poller.register(pidfd, select.POLLIN)
    while True:
        events = dict(poller.poll())
        if pidfd in events:
            break
        if events.get(CHANNEL_FD, 0) & (select.POLLRDHUP | select.POLLHUP | select.POLLERR):
            os.kill(pid, signal.SIGKILL)
            poller.unregister(CHANNEL_FD)
    os.waitpid(pid, 0)
    os._exit(0)


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
        _send(protocol, {"ok": False, "load_error": protocol.describe_exception(exc)})
        os._exit(0)
    functions = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
    _send(protocol, {"ok": True, "functions": functions})
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
    from kdquiz.grading.torchload import load_torch

    torch = load_torch()  # the one expensive import every submission shares

    torch.set_num_threads(1)
    import kdquiz.grading.builders  # noqa: F401 - child-side code, loaded before any fork
    import kdquiz.grading.cgroups  # noqa: F401
    import kdquiz.grading.protocol  # noqa: F401
    import kdquiz.grading.sandbox  # noqa: F401
    import kdquiz.grading.seccomp  # noqa: F401

    torch.zeros(1).sum()  # initialise torch's lazy state once, single-threaded
    control.sendall(b"R")
    controls = [control]
    while True:
        readable, _, _ = select.select(controls, [], [])
        for sock in readable:
            try:
                message, fds, _flags, _addr = socket.recv_fds(sock, 64, 3)
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
            if message != b"F" or len(fds) != 3:
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
                _child(fds[0], fds[1], fds[2])
                os._exit(0)
            for fd in fds:
                os.close(fd)
            sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    main()
