"""A small seccomp filter for the sandboxed child: the kernel interfaces Python and torch never
need and an attacker reaches for return EPERM.

The filter is a classic BPF program written here by hand (no Python binding of libseccomp is
installed where kdquiz runs), built for **x86_64 only**: on any other architecture
:func:`install` does nothing and returns False, and the sandbox runs without it (the result's
isolation level does not change; docs/grading.md says so). Denied, with ``EPERM``:

- kernel keyrings: ``add_key``, ``request_key``, ``keyctl`` (a keyring outlives the sandbox and
  can be shared by uid: a channel between submissions);
- new namespaces: ``unshare`` and ``clone`` with any ``CLONE_NEW*`` flag, ``setns`` (nested user
  namespaces give capabilities inside them: tun devices, mounts);
- ``io_uring_setup``/``io_uring_enter``/``io_uring_register`` (a second syscall path seccomp does
  not see), ``userfaultfd``, ``bpf``, ``perf_event_open``;
- the mount family (``mount``, ``umount2``, ``pivot_root``, ``chroot``, ``open_tree``,
  ``move_mount``, ``fsopen``, ``fsconfig``, ``fsmount``, ``fspick``, ``mount_setattr``);
- ``ptrace``, ``process_vm_readv``/``process_vm_writev``, ``kexec_*``, module loading,
  ``open_by_handle_at``;
- every x32 system call and every call made through another architecture's entry (``int 0x80``).

``clone3`` returns ``ENOSYS`` instead: its flags live in memory a filter cannot read, and glibc
then falls back to ``clone``, whose flags it can. The filter is installed with
``SECCOMP_FILTER_FLAG_TSYNC`` (every thread) after ``PR_SET_NO_NEW_PRIVS``, after the sandbox is
set up and before the submission is loaded; it is inherited by every process the submission starts.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_TSYNC = 1
SYS_SECCOMP_X86_64 = 317
PR_SET_NO_NEW_PRIVS = 38

SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes (linux/filter.h)
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR, _ARCH, _ARG0_LOW = 0, 4, 16

CLONE_NEWTIME = 0x00000080  # unshare/clone3 only: in clone() the low byte is the exit signal
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NAMESPACES = (
    CLONE_NEWNS
    | CLONE_NEWCGROUP
    | CLONE_NEWUTS
    | CLONE_NEWIPC
    | CLONE_NEWUSER
    | CLONE_NEWPID
    | CLONE_NEWNET
)

# x86_64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
X86_64_DENIED = {
    "ptrace": 101,
    "pivot_root": 155,
    "chroot": 161,
    "mount": 165,
    "umount2": 166,
    "init_module": 175,
    "delete_module": 176,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "perf_event_open": 298,
    "open_by_handle_at": 304,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}
X86_64_CLONE = 56
X86_64_UNSHARE = 272
X86_64_CLONE3 = 435


def supported() -> bool:
    """Whether this machine gets the filter (Linux on x86_64)."""
    return sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def program() -> bytes:
    """The filter as packed ``struct sock_filter`` instructions (x86_64)."""
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    enosys = SECCOMP_RET_ERRNO | errno.ENOSYS
    body: list[tuple[int, int, int, int]] = []
    # Instructions are laid out with symbolic targets, then resolved: ("DENY", "ALLOW", ...).
    ops: list[tuple[int, object, object, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 0, "DENY", AUDIT_ARCH_X86_64),
        (_LD_W_ABS, 0, 0, _NR),
        (_JGE_K, "DENY", 0, X32_SYSCALL_BIT),
    ]
    for number in sorted(X86_64_DENIED.values()):
        ops.append((_JEQ_K, "DENY", 0, number))
    ops += [
        (_JEQ_K, "ENOSYS", 0, X86_64_CLONE3),
        (_JEQ_K, "CLONE", 0, X86_64_CLONE),
        (_JEQ_K, "UNSHARE", 0, X86_64_UNSHARE),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    labels = {"CLONE": len(ops)}
    ops += [
        (_LD_W_ABS, 0, 0, _ARG0_LOW),
        (_JSET_K, "DENY", "ALLOW", CLONE_NAMESPACES),
    ]
    labels["UNSHARE"] = len(ops)
    ops += [
        (_LD_W_ABS, 0, 0, _ARG0_LOW),
        (_JSET_K, "DENY", "ALLOW", CLONE_NAMESPACES | CLONE_NEWTIME),
    ]
    labels["ALLOW"] = len(ops)
    ops.append((_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    labels["DENY"] = len(ops)
    ops.append((_RET_K, 0, 0, deny))
    labels["ENOSYS"] = len(ops)
    ops.append((_RET_K, 0, 0, enosys))

    def target(at: int, value: object) -> int:
        if isinstance(value, str):
            offset = labels[value] - at - 1
            if not 0 <= offset <= 255:
                raise ValueError("seccomp jump out of range")
            return offset
        return int(value)  # type: ignore[call-overload]

    for at, (code, jt, jf, k) in enumerate(ops):
        body.append((code, target(at, jt), target(at, jf), k))
    return b"".join(_insn(*insn) for insn in body)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> bool:
    """Install the filter on every thread of this process; False where it is not supported
    (another architecture or OS, or a kernel without seccomp filters).

    Raises OSError when the kernel refuses it for another reason (the sandbox setup then fails
    loudly rather than run without it)."""
    if not supported():
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), 0, 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl(NO_NEW_PRIVS): {os.strerror(code)}")
    code_bytes = program()
    buffer = ctypes.create_string_buffer(code_bytes, len(code_bytes))
    prog = _SockFprog(len(code_bytes) // 8, ctypes.addressof(buffer))
    result = libc.syscall(
        ctypes.c_long(SYS_SECCOMP_X86_64),
        ctypes.c_ulong(SECCOMP_SET_MODE_FILTER),
        ctypes.c_ulong(SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(prog),
    )
    if result != 0:
        code = ctypes.get_errno()
        if result < 0 and code in (errno.EINVAL, errno.ENOSYS):
            return False  # a kernel built without seccomp filters: as on other architectures
        raise OSError(
            code, f"seccomp: {os.strerror(code) if result < 0 else 'thread ' + str(result)}"
        )
    return True
