"""One control group per sandbox: its own process count, memory and CPU share, killed as a whole.

The judge (trusted) creates the group before the sandbox is forked, the sandbox's first process
joins it before it confines itself (everything it starts is then inside), and the judge kills
every process in it and removes it when the grading ends. Groups are created *under the judge's
own group* in each hierarchy, so they stay inside whatever limits the judge itself runs under.

- **cgroup v2** (a ``cgroup2`` mount): one group; ``pids.max``, ``memory.max``, ``cpu.max`` where
  those controllers are enabled for it; killed with ``cgroup.kill`` (Linux 5.14+).
- **cgroup v1** (or a hybrid machine): one group in each of the ``pids``, ``memory``, ``cpu`` and
  ``freezer`` hierarchies that are mounted and writable (``pids.max``, ``memory.limit_in_bytes``,
  ``cpu.cfs_quota_us``); killed by freezing the group, sending SIGKILL to every task listed, and
  thawing it. On a hybrid machine the v2 group is created too, only for ``cgroup.kill``.

Where no hierarchy is writable (not root, no delegation, no cgroupfs, not Linux), :func:`create`
returns None and the sandbox keeps only its rlimits (``RLIMIT_NPROC`` is then per uid, not per
sandbox) and the kill of its process group and PID namespace; docs/grading.md says so.
"""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

V1_CONTROLLERS = ("pids", "memory", "cpu", "freezer")
CPU_PERIOD_US = 100_000
_COUNTER = itertools.count()
STALE_AFTER_S = 120.0
"""How old the group of a judge that is gone must be before another judge removes it."""


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use."""

    pids: int = 64
    memory_bytes: int = 2560 * 1024 * 1024
    cpus: float = 1.0


def _mounts() -> tuple[dict[str, Path], Path | None]:
    """Mount points of the v1 controllers kdquiz uses, and of the v2 hierarchy."""
    v1: dict[str, Path] = {}
    v2: Path | None = None
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return v1, v2
    for line in lines:
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        point = Path(fields[4].encode().decode("unicode_escape"))
        if tail[0] == "cgroup2" and v2 is None:
            v2 = point
        elif tail[0] == "cgroup":
            for option in tail[2].split(","):
                if option in V1_CONTROLLERS and option not in v1:
                    v1[option] = point
    return v1, v2


def _own_groups() -> tuple[dict[str, str], str | None]:
    """This process's group in each v1 controller and in the v2 hierarchy."""
    v1: dict[str, str] = {}
    v2: str | None = None
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return v1, v2
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if parts[0] == "0" and parts[1] == "":
            v2 = parts[2]
        for controller in parts[1].split(","):
            if controller in V1_CONTROLLERS:
                v1[controller] = parts[2]
    return v1, v2


def _write(path: Path, text: str) -> bool:
    try:
        path.write_text(text, encoding="ascii")
        return True
    except OSError:
        return False


@dataclass
class SandboxGroup:
    """The control groups of one sandbox (one directory per hierarchy)."""

    directories: list[Path]
    freezer: Path | None = None
    v2: Path | None = None
    limited: list[str] = field(default_factory=list)
    """The limits that were set ('pids', 'memory', 'cpu'), for the docs and the tests."""

    def procs_files(self) -> list[str]:
        """The files the sandbox's first process writes its pid to (to join every group)."""
        return [str(d / "cgroup.procs") for d in self.directories]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for directory in self.directories:
            try:
                text = (directory / "cgroup.procs").read_text(encoding="ascii")
            except OSError:
                continue
            found.update(int(p) for p in text.split())
        return found

    def kill(self, wait: float = 5.0) -> bool:
        """Kill every process in the group; True when it is empty within ``wait`` seconds."""
        if self.v2 is not None and _write(self.v2 / "cgroup.kill", "1"):
            pass
        else:
            frozen = self.freezer is not None and _write(self.freezer / "freezer.state", "FROZEN")
            for _ in range(100):  # a fork loop may add tasks between two reads (pids.max bounds it)
                pids = self.pids()
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                if frozen:
                    break  # a frozen group cannot fork: one pass killed everything
            if frozen:
                _write(self.freezer / "freezer.state", "THAWED")  # type: ignore[operator]
        deadline = time.monotonic() + wait
        while self.pids():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)
        return True

    def remove(self) -> None:
        """Kill what is left and remove every directory (children first). Does not wait for
        the killed processes to finish exiting (a torch process takes ~50 ms to unmap): a group
        still busy is removed later, by :func:`reap`."""
        self.kill(wait=0)
        if not self._rmdir():
            _PENDING.append(self)
            if len(_PENDING) == 1 and not _ATEXIT:
                import atexit

                atexit.register(reap, 5.0)
                _ATEXIT.append(True)

    def _rmdir(self) -> bool:
        left = []
        for directory in self.directories:
            try:
                directory.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                left.append(directory)
        self.directories = left
        return not left


_PENDING: list[SandboxGroup] = []
_SWEPT: list[int] = []
_ATEXIT: list[bool] = []


def reap(wait: float = 0.0) -> None:
    """Remove the groups :meth:`SandboxGroup.remove` left busy; with ``wait``, wait up to that
    long for each one's processes to be gone (the warm worker's close and process exit do)."""
    for group in list(_PENDING):
        if wait:
            group.kill(wait=wait)
        if group._rmdir():
            _PENDING.remove(group)


def sweep_stale() -> int:
    """Remove the empty groups of kdquiz processes that no longer exist (a judge killed before
    it could remove its last sandbox's group); returns how many were removed. A group whose
    process still exists, that still has tasks, or that is younger than :data:`STALE_AFTER_S`
    is left alone: a judge in another PID namespace sharing this control group (two containers)
    looks gone from here, and its fresh group may be between its creation and its sandbox
    joining it."""
    v1_mounts, v2_mount = _mounts()
    v1_own, v2_own = _own_groups()
    parents = [m / o.lstrip("/") for c, m in v1_mounts.items() if (o := v1_own.get(c))]
    if v2_mount is not None and v2_own is not None:
        parents.append(v2_mount / v2_own.lstrip("/"))
    removed = 0
    for parent in parents:
        try:
            entries = list(parent.glob("kdquiz-*-*-*"))
        except OSError:
            continue
        for directory in entries:
            owner = directory.name.split("-")[1]
            if not owner.isdigit() or Path(f"/proc/{owner}").exists():
                continue
            try:
                if time.time() - directory.stat().st_mtime < STALE_AFTER_S:
                    continue
            except OSError:
                continue
            try:
                directory.rmdir()  # fails while the group has tasks
                removed += 1
            except OSError:
                pass
    return removed


def create(limits: Limits) -> SandboxGroup | None:
    """A new group for one sandbox, or None where control groups are not writable here."""
    if not sys.platform.startswith("linux"):
        return None
    reap()  # the groups of earlier sandboxes whose processes have finished exiting by now
    if not _SWEPT:
        _SWEPT.append(sweep_stale())
    v1_mounts, v2_mount = _mounts()
    v1_own, v2_own = _own_groups()
    name = f"kdquiz-{os.getpid()}-{next(_COUNTER)}-{secrets.token_hex(3)}"
    group = SandboxGroup([])
    if v2_mount is not None and v2_own is not None:
        directory = v2_mount / v2_own.lstrip("/") / name
        try:
            directory.mkdir(mode=0o755)
        except OSError:
            pass
        else:
            group.directories.append(directory)
            group.v2 = directory if (directory / "cgroup.kill").exists() else None
            if _write(directory / "pids.max", str(limits.pids)):
                group.limited.append("pids")
            if _write(directory / "memory.max", str(limits.memory_bytes)):
                group.limited.append("memory")
                _write(directory / "memory.swap.max", "0")
            quota = int(CPU_PERIOD_US * limits.cpus)
            if _write(directory / "cpu.max", f"{quota} {CPU_PERIOD_US}"):
                group.limited.append("cpu")
    for controller in V1_CONTROLLERS:
        mount, own = v1_mounts.get(controller), v1_own.get(controller)
        if mount is None or own is None:
            continue
        directory = mount / own.lstrip("/") / name
        if directory in group.directories:
            continue  # co-mounted controllers share one directory
        try:
            directory.mkdir(mode=0o755)
        except OSError:
            continue
        group.directories.append(directory)
        if _write(directory / "pids.max", str(limits.pids)) and "pids" not in group.limited:
            group.limited.append("pids")
        if (
            _write(directory / "memory.limit_in_bytes", str(limits.memory_bytes))
            and "memory" not in group.limited
        ):
            group.limited.append("memory")
        if (directory / "cpu.cfs_quota_us").exists():
            _write(directory / "cpu.cfs_period_us", str(CPU_PERIOD_US))
            if _write(directory / "cpu.cfs_quota_us", str(int(CPU_PERIOD_US * limits.cpus))):
                if "cpu" not in group.limited:
                    group.limited.append("cpu")
        if (directory / "freezer.state").exists():
            group.freezer = directory
    if not group.directories:
        return None
    return group


def join(procs_files: list[str]) -> int:
    """In the sandbox's first process: join every group; returns how many it joined."""
    joined = 0
    pid = str(os.getpid())
    for path in procs_files:
        try:
            with open(path, "w", encoding="ascii") as handle:
                handle.write(pid)
            joined += 1
        except OSError:
            pass
    return joined
