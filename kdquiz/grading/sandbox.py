"""Confining a submission's process: Linux namespaces where the machine allows, rlimits always.

Two levels, reported with every result:

- **strict**: new mount, PID, network, IPC and UTS namespaces (plus a user namespace when not
  root). Every mount is read-only; the directories that are not needed to run Python and torch
  (other users' files, the content tree with hidden suites and references, other submissions, the
  progress store, the workspace) are covered by empty read-only tmpfs; /tmp, /var/tmp and /dev/shm
  are private tmpfs; /proc shows only the sandbox's processes; there is no network; as root the
  process then becomes a uid of its own (:func:`reserve_identity`: no two running sandboxes share
  one) with a fresh session keyring (:func:`become`). When the sandbox's first process exits or is
  killed, the kernel kills everything it started.
- **basic**: what any POSIX system allows: a new session (so the whole process group is killed),
  resource limits (memory, CPU time, file size, open files, core dumps), a clean environment and
  a private scratch directory. The files of the user running kdquiz stay readable and writable.

Both levels, on Linux: a control group of its own where the machine allows it
(:mod:`kdquiz.grading.cgroups`), a new session keyring, and on x86_64 a seccomp filter
(:mod:`kdquiz.grading.seccomp`), installed last, just before the submission is loaded.

:func:`plan_hidden` runs in the judge (trusted). :func:`enter_strict`, :func:`become` and
:func:`apply_limits` run in the freshly forked child before any submission code is loaded.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import sys
import sysconfig
from pathlib import Path
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_MOVE = 8192
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24

SYS_OPEN_TREE = 428  # the same number on every architecture (added in Linux 5.2)
SYS_MOVE_MOUNT = 429
AT_FDCWD = -100
AT_RECURSIVE = 0x8000
OPEN_TREE_CLONE = 1
O_CLOEXEC = 0o2000000
MOVE_MOUNT_F_EMPTY_PATH = 0x4

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38

SANDBOX_UID_BASE = 1_900_000_000
"""Strict sandboxes under root run as uids from here up (unused by any distribution's accounts;
systemd leaves 1879048192-2147483647 unassigned)."""
SANDBOX_UID_SLOTS = 4096

SYS_KEYCTL = {"x86_64": 250, "AMD64": 250, "aarch64": 219, "arm64": 219, "riscv64": 219}.get(
    platform.machine()
)
KEYCTL_JOIN_SESSION_KEYRING = 1
KEYCTL_CLEAR = 7
KEY_SPEC_USER_KEYRING = -4
KEY_SPEC_USER_SESSION_KEYRING = -5
SYSTEM_DIRS = {
    "bin",
    "sbin",
    "lib",
    "lib32",
    "lib64",
    "libx32",
    "usr",
    "etc",
    "proc",
    "sys",
    "dev",
    "run",
    "tmp",
    "var",
}
COVERED_SYSTEM_DIRS = ("/run", "/var")
"""System directories strict mode covers with an empty tmpfs (sockets of system services, logs,
mail, caches, package databases); /etc and the library directories stay, read-only."""
_OPTION_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}

_libc: Any = None


def _c() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(
        _c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
        f"mount {target}",
    )


def prctl(option: int, value: int) -> None:
    _c().prctl(option, ctypes.c_ulong(value), 0, 0, 0)


# --- planning (judge side) -----------------------------------------------------------------


def needed_paths() -> list[Path]:
    """What the child must still see to run Python, torch and kdquiz's own child code."""
    import kdquiz

    paths = {
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        Path(sysconfig.get_paths()["stdlib"]),
        Path(sysconfig.get_paths()["platstdlib"]),
        Path(sysconfig.get_paths()["purelib"]),
        Path(sysconfig.get_paths()["platlib"]),
        Path(kdquiz.__file__).parent,
        Path(sys.executable).parent,
    }
    for entry in sys.path:
        if (
            entry
            and ("site-packages" in entry or "dist-packages" in entry)
            and Path(entry).is_dir()
        ):
            paths.add(Path(entry))
    try:
        import importlib.util

        spec = importlib.util.find_spec("torch")
        if spec and spec.origin:
            paths.add(Path(spec.origin).parent)
    except (ImportError, ValueError):
        pass
    return sorted({p.resolve() for p in paths if p.exists()})


def plan_hidden(explicit: list[Path]) -> dict[str, Any]:
    """What the strict sandbox shows outside the system directories.

    Each top-level directory outside :data:`SYSTEM_DIRS` becomes either an empty read-only tmpfs
    or, when a needed path (:func:`needed_paths`) lies inside it, a *skeleton*: a tmpfs holding
    only bind mounts of the needed paths. Then every ``explicit`` path (content, data directory,
    workspace, submissions) is covered even if it lies inside a needed one (a wheel's bundled
    content sits inside the package).
    """
    needed = needed_paths()
    minimal = [n for n in needed if not any(o != n and o in n.parents for o in needed)]
    skeletons: list[dict[str, Any]] = []
    empty: list[str] = []
    try:
        entries = sorted(os.scandir("/"), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        if (
            entry.name in SYSTEM_DIRS
            or entry.is_symlink()
            or not entry.is_dir(follow_symlinks=False)
        ):
            continue
        top = Path(entry.path)
        keep = [str(n) for n in minimal if top in n.parents]
        if any(n == top for n in minimal):
            continue  # a whole top-level directory is needed (unusual); leave it visible
        if keep:
            skeletons.append({"root": str(top), "keep": keep})
        else:
            empty.append(str(top))
    dirs: list[str] = []
    files: list[str] = []
    # The root and the sandbox's private directories are never covered: their real contents are
    # already out of sight (a private tmpfs replaces /tmp, /var/tmp and /dev/shm; every top-level
    # directory is covered above), and covering them would take away the sandbox's own /tmp (a
    # submission saved straight into /tmp could not be graded).
    private = {Path("/"), Path("/tmp").resolve(), Path("/dev/shm")}
    if not any(Path("/var/tmp") in n.parents for n in minimal):
        private.add(Path("/var/tmp").resolve())
    for path in explicit:
        try:
            real = path.resolve()
        except OSError:
            continue
        if real in private:
            continue
        if real.is_dir():
            dirs.append(str(real))
        elif real.is_file():
            files.append(str(real))
    tmp = Path("/tmp").resolve()
    tmp_keep = [str(n) for n in minimal if tmp in n.parents]
    # System directories Python and torch never read: covered too, unless a needed path is in one.
    system_empty = [
        str(folder)
        for folder in (Path(d) for d in COVERED_SYSTEM_DIRS)
        if folder.is_dir()
        and not folder.is_symlink()
        and not any(folder in n.parents or folder == n for n in needed)
    ]
    return {
        "system_empty": system_empty,
        "skeletons": skeletons,
        "empty": empty,
        "dirs": dirs,
        "files": files,
        "tmp_keep": tmp_keep,
    }


# --- entering (child side) -----------------------------------------------------------------


def _remount_all_readonly() -> None:
    mounts: list[tuple[str, int]] = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")
            flags = 0
            for option in fields[5].split(","):
                flags |= _OPTION_FLAGS.get(option, 0)
            mounts.append((point, flags))
    for point, flags in sorted(mounts, key=lambda m: m[0].count("/")):
        try:
            _mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags)
        except OSError:
            if point == "/":
                raise


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def enter_strict(hidden: dict[str, Any], as_root: bool) -> None:
    """Unshare namespaces and lay out the filesystem; raises OSError when not possible."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    if not as_root:
        flags |= CLONE_NEWUSER
    _check(_c().unshare(ctypes.c_int(flags)), "unshare")
    if not as_root:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _remount_all_readonly()
    # Detached copies of every needed path that is about to be covered (inside a skeleton root
    # or under /tmp), taken while the real paths are still reachable.
    keeps = [k for sk in hidden.get("skeletons", []) for k in sk["keep"]] + hidden.get(
        "tmp_keep", []
    )
    trees = {keep: _open_tree(keep) for keep in keeps}
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
    for skeleton in hidden.get("skeletons", []):
        root = skeleton["root"]
        _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
        for keep in skeleton["keep"]:
            _attach(trees[keep], root, keep)
        _mount(
            None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=64k,mode=0755"
        )
    for keep in hidden.get("tmp_keep", []):
        _attach(trees[keep], "/tmp", keep)
    empty = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    for folder in [*hidden.get("empty", []), *hidden.get("dirs", [])]:
        try:
            _mount("tmpfs", folder, "tmpfs", empty, "size=4k,mode=0555")
        except OSError:
            pass  # vanished since planning, or already covered by a skeleton
    for file in hidden.get("files", []):
        try:
            _mount("/dev/null", file, None, MS_BIND)
            _mount(None, file, None, MS_BIND | MS_REMOUNT | MS_RDONLY)
        except OSError:
            pass
    for folder in hidden.get("system_empty", []):
        # Empty, read-only, except for the mount point of a private /var/tmp.
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755")
        if folder == "/var":
            os.mkdir("/var/tmp", 0o1777)
        _mount(None, folder, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for folder in ("/var/tmp", "/dev/shm"):
        if folder == "/var/tmp" and any(k.startswith("/var/tmp/") for k in keeps):
            continue
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")


def _open_tree(path: str) -> int:
    """A detached, recursive bind-mount copy of ``path`` (Linux 5.2+)."""
    fd = _c().syscall(
        SYS_OPEN_TREE, AT_FDCWD, path.encode(), OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC
    )
    if fd < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"open_tree {path}: {os.strerror(errno)}")
    return int(fd)


def _attach(tree: int, root: str, target: str) -> None:
    """Attach a detached tree at ``target`` inside the fresh tmpfs at ``root``, read-only."""
    os.makedirs(target, exist_ok=True)
    path = Path(target)
    while str(path) != root and len(str(path)) > len(root):
        os.chmod(path, 0o755)  # traversable by the unprivileged user
        path = path.parent
    result = _c().syscall(
        SYS_MOVE_MOUNT, tree, b"", AT_FDCWD, target.encode(), MOVE_MOUNT_F_EMPTY_PATH
    )
    _check(0 if result == 0 else -1, f"move_mount {target}")
    os.close(tree)
    _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY)


def after_pid_namespace() -> None:
    """In the sandbox's PID 1: a /proc that shows only the sandbox."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError:
        pass


def reserve_identity() -> tuple[int, int]:
    """As root, before confining: a uid no other running sandbox has, and the lock that keeps it.

    The uid is ``SANDBOX_UID_BASE + slot`` for the lowest free slot; a slot is held by a POSIX
    record lock on one byte of a root-only lock file, taken by the sandbox's intermediate process
    (the one outside the PID namespace) and released by the kernel when that process ends, which
    happens only once everything in the sandbox is dead. Concurrent sandboxes of every kdquiz
    process on the machine therefore never share a uid (and so never share a process count, a
    user keyring or signals). Returns (uid, descriptor of the lock file).
    """
    import fcntl

    directory = Path("/run/kdquiz")
    if not Path("/run").is_dir():
        directory = Path("/var/lock/kdquiz")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = directory.stat()
    if info.st_uid != 0 or info.st_mode & 0o022:
        raise OSError(1, f"{directory} is not a root-only directory")
    fd = os.open(directory / "sandbox-uids.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    for slot in range(SANDBOX_UID_SLOTS):
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
        except OSError:
            continue
        return SANDBOX_UID_BASE + slot, fd
    os.close(fd)
    raise OSError(11, "every sandbox uid is in use")


def become(uid: int | None) -> None:
    """Take the sandbox's own identity, before any submission code runs.

    - As root (``uid`` given): no supplementary groups, then ``uid``/``uid`` as user and group.
      A uid change clears the parent-death signal, so the caller re-arms it afterwards.
    - Always: a new anonymous session keyring (the judge's session keyring, and any login
      session's keys it holds, are no longer reachable).
    - With a reserved ``uid``: that uid's user keyrings emptied (keys a previous sandbox with
      this uid left there are gone). Never the keyrings of the user running kdquiz.

    Failures of the keyring calls are ignored: a kernel without keyrings has nothing to reach.
    """
    if uid is not None and os.environ.get("KDQUIZ_SANDBOX_KEEP_ROOT") != "1":
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    if SYS_KEYCTL is None:
        return  # an architecture whose keyctl number kdquiz does not know: left as it is
    libc, keyctl = _c(), ctypes.c_long(SYS_KEYCTL)
    libc.syscall(keyctl, ctypes.c_long(KEYCTL_JOIN_SESSION_KEYRING), None)
    if uid is not None:
        for keyring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
            libc.syscall(keyctl, ctypes.c_long(KEYCTL_CLEAR), ctypes.c_long(keyring))


def apply_limits(memory_mb: int, cpu_seconds: int, max_processes: int) -> None:
    """Resource limits that hold in both levels."""

    def limit(kind: int, value: int) -> None:
        try:
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass

    # Address space: what torch has mapped already plus the submission's allowance.
    with open("/proc/self/statm", encoding="ascii") as handle:
        mapped = int(handle.read().split()[0]) * resource.getpagesize()
    limit(resource.RLIMIT_AS, mapped + memory_mb * 1024 * 1024)
    limit(resource.RLIMIT_CPU, cpu_seconds)
    limit(resource.RLIMIT_FSIZE, 16 * 1024 * 1024)
    limit(resource.RLIMIT_NOFILE, 256)
    limit(resource.RLIMIT_CORE, 0)
    if os.getuid() != 0:
        limit(resource.RLIMIT_NPROC, max_processes)


def clean_environment(home: str) -> None:
    os.environ.clear()
    os.environ.update(
        {
            "HOME": home,
            "TMPDIR": home,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )


def reset_signals() -> None:
    for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
