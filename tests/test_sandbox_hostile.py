"""Attacks on the sandbox itself (issue 15): one sandbox helping or hurting another, a sandbox
outliving its grading, a submission writing the judge's trusted frames, kernel interfaces that
open a way out. Each test is written so that the attack, if it worked, would make it fail.

Runs on the fixture course's `toy` exercise (double a 2-D tensor; reject 1-D input); the
Linux-only parts skip where the machine gives no strict isolation.
"""

from __future__ import annotations

import ctypes
import os
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.grading import cgroups, judge, seccomp
from kdquiz.grading.judge import GradeOptions, SubmissionResult, grade_submission
from kdquiz.grading.worker import Zygote

from .conftest import COURSE
from .procs import parent_of
from .test_grading import EXERCISE, GOOD, _leftover_children, _sandbox_processes

# A submission that is right only when a condition it computes at import holds: wrong (x * 3)
# otherwise. An attack "works" when the file passes.
RIGHT_IF = """
import torch
def double(x):
    if x.dim() != 2:
        raise ValueError('2-D')
    return x * (2 if ATTACK_WORKED else 3)
"""

KEYCTL = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def syscall(number, *args):
    return libc.syscall(ctypes.c_long(number), *args)
"""
ADD_KEY, KEYCTL_NR = 248, 250
KEYCTL_SEARCH, KEYCTL_INVALIDATE, KEYCTL_JOIN = 10, 21, 1
KEY_SPEC_SESSION, KEY_SPEC_USER = -3, -4

linux_x86_64 = pytest.mark.skipif(not seccomp.supported(), reason="Linux on x86_64 only")


def _grade(
    zygote: Zygote, tmp_path: Path, source: str, timeout: float = 10.0, isolation: str = "auto"
) -> SubmissionResult:
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(source))
    return grade_submission(
        EXERCISE, path, zygote, GradeOptions(timeout=timeout, isolation=isolation)
    )


def _strict(result: SubmissionResult) -> None:
    if result.isolation != "strict":
        pytest.skip("strict isolation is not available on this machine")


@pytest.fixture
def created_groups(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every control-group directory this process creates during the test (a judge in another
    container sharing the hierarchy may have the same pid: names alone do not tell)."""
    created: list[Path] = []
    create = cgroups.create

    def recording(limits: cgroups.Limits) -> cgroups.SandboxGroup | None:
        group = create(limits)
        if group is not None:
            created.extend(group.directories)
        return group

    monkeypatch.setattr(cgroups, "create", recording)
    return created


def _left(created: list[Path]) -> list[Path]:
    """Those of the created groups that are still there."""
    return [p for p in created if p.is_dir()]


# --- one sandbox can neither help nor hurt another ----------------------------------------


@linux_x86_64
def test_a_key_planted_by_one_submission_does_not_help_a_later_one(
    zygote: Zygote, tmp_path: Path
) -> None:
    """A correct file stores a flag in the kernel keyring; a later wrong file that finds it
    would switch to the right formula. The later file must fail."""
    planter = KEYCTL + textwrap.dedent(
        f"""
        syscall({ADD_KEY}, b"user", b"kdquiz-plant", b"x * 2", ctypes.c_size_t(5),
                ctypes.c_long({KEY_SPEC_USER}))
        syscall({ADD_KEY}, b"user", b"kdquiz-plant", b"x * 2", ctypes.c_size_t(5),
                ctypes.c_long({KEY_SPEC_SESSION}))
        """
    )
    finder = KEYCTL + textwrap.dedent(
        f"""
        ATTACK_WORKED = any(
            syscall({KEYCTL_NR}, ctypes.c_long({KEYCTL_SEARCH}), ctypes.c_long(ring), b"user",
                    b"kdquiz-plant", ctypes.c_long(0)) > 0
            for ring in ({KEY_SPEC_USER}, {KEY_SPEC_SESSION})
        )
        """
    )
    planted = _grade(zygote, tmp_path, planter + GOOD)
    _strict(planted)
    assert planted.status == "pass"
    later = _grade(zygote, tmp_path, finder + RIGHT_IF)
    assert later.status == "fail", later


@linux_x86_64
def test_the_judge_session_keyring_is_unreachable(tmp_path: Path) -> None:
    """A key in the judge's session keyring (an instructor's login session keeps tokens there)
    cannot be found from the sandbox."""
    libc = ctypes.CDLL(None, use_errno=True)
    # A session keyring of this test's own, so the key is removed with it.
    libc.syscall(ctypes.c_long(KEYCTL_NR), ctypes.c_long(KEYCTL_JOIN), b"kdquiz-test-session")
    key = libc.syscall(
        ctypes.c_long(ADD_KEY),
        b"user",
        b"kdquiz-judge-secret",
        b"secret",
        ctypes.c_size_t(6),
        ctypes.c_long(KEY_SPEC_SESSION),
    )
    assert key > 0, os.strerror(ctypes.get_errno())
    finder = KEYCTL + textwrap.dedent(
        f"""
        ATTACK_WORKED = syscall({KEYCTL_NR}, ctypes.c_long({KEYCTL_SEARCH}),
                                ctypes.c_long({KEY_SPEC_SESSION}), b"user",
                                b"kdquiz-judge-secret", ctypes.c_long(0)) > 0
        """
    )
    try:
        with Zygote() as worker:  # started after the key exists: it inherits the keyring
            for isolation in ("auto", "basic"):
                result = _grade(worker, tmp_path, finder + RIGHT_IF, isolation=isolation)
                assert result.status == "fail", (isolation, result)
    finally:
        libc.syscall(ctypes.c_long(KEYCTL_NR), ctypes.c_long(KEYCTL_INVALIDATE), ctypes.c_long(key))


def test_parked_children_do_not_starve_a_concurrent_sandbox(zygote: Zygote, tmp_path: Path) -> None:
    """One sandbox parks 60 sleeping children; a correct file graded meanwhile in another
    sandbox starts a thread, and must still pass (the process count is per sandbox)."""
    parker = textwrap.dedent(
        """
        import os, time
        for _ in range(60):
            try:
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
            except OSError:
                break
        """
    )
    parker_path = tmp_path / "parker.py"
    parker_path.write_text(parker + GOOD)
    config = {
        "source": parker + GOOD,
        "isolation": "auto",
        "hidden": judge._plan(judge._hidden_paths(EXERCISE, parker_path)),
        "memory_mb": 2048,
        "cpu_seconds": 30,
        "max_processes": 64,
    }
    parked = zygote.spawn(config, time.monotonic() + 30)
    try:
        assert parked.setup_status().get("isolation") in ("strict", "basic")
        assert parked.hello().get("ok")
        threaded = """
        import threading
        def double(x):
            if x.dim() != 2:
                raise ValueError('2-D')
            out = []
            worker = threading.Thread(target=lambda: out.append(x * 2))
            worker.start()
            worker.join()
            return out[0]
        """
        result = _grade(zygote, tmp_path, threaded)
        assert result.status == "pass", result
    finally:
        parked.close()
    assert not _leftover_children(zygote)


# --- nothing outlives a grading ------------------------------------------------------------

SURVIVOR = """
import os, time
os.setsid()                      # out of the process group the judge kills
os._exit = lambda code: time.sleep(600)  # ignore the end of the channel
"""


def test_a_submission_that_leaves_its_group_does_not_survive(
    zygote: Zygote, tmp_path: Path, created_groups: list[Path]
) -> None:
    result = _grade(zygote, tmp_path, SURVIVOR + GOOD)
    assert result.status == "pass"
    assert not _leftover_children(zygote)
    cgroups.reap(5.0)  # groups are removed once their killed processes have exited
    assert not _left(created_groups)


def test_no_process_of_the_sandbox_exists_after_grade_returns(
    tmp_path: Path, created_groups: list[Path]
) -> None:
    path = tmp_path / "survivor.py"
    path.write_text(SURVIVOR + GOOD)
    result = CliRunner().invoke(app, ["--content", str(COURSE), "grade", "toy", str(path)])
    assert result.exit_code == 0, result.output
    deadline = time.monotonic() + 10
    while _sandboxes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _sandboxes()
    assert not _left(created_groups)


def _sandboxes() -> list[int]:
    """This worker's sandbox processes, not counting warm workers other tests keep running."""
    return [pid for pid in _sandbox_processes() if parent_of(pid) != os.getpid()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_each_sandbox_gets_its_own_control_group(
    zygote: Zygote, tmp_path: Path, created_groups: list[Path]
) -> None:
    """Where control groups are writable, the sandbox runs in one of its own with a process
    limit; a fork loop is held by it and the group is gone afterwards."""
    probe = """
    import os
    def double(x):
        if x.dim() != 2:
            raise ValueError('2-D')
        groups = open('/proc/self/cgroup').read()
        if 'kdquiz-' not in groups:
            raise RuntimeError('no control group of its own: ' + groups.replace(chr(10), ' '))
        return x * 2
    """
    writable = cgroups.create(cgroups.Limits())
    if writable is None:
        pytest.skip("control groups are not writable here")
    writable.remove()
    created_groups.clear()
    result = _grade(zygote, tmp_path, probe)
    assert result.status == "pass", result
    cgroups.reap(5.0)
    assert created_groups and not _left(created_groups)


# --- the channel is hostile -----------------------------------------------------------------

FORGE = """
from kdquiz.grading import protocol
protocol.send_frame(3, protocol.dumps(FRAME))
"""


def test_a_forged_fatal_frame_does_not_abort_grading(zygote: Zygote, tmp_path: Path) -> None:
    source = "FRAME = {'ok': False, 'fatal': 'the judge is broken: stop everything'}\n" + FORGE
    result = _grade(zygote, tmp_path, source + "def double(x):\n    return x * 3\n")
    assert result.status in ("fail", "error")
    assert "stop everything" not in result.message


def test_a_forged_isolation_level_is_not_reported(zygote: Zygote, tmp_path: Path) -> None:
    source = "FRAME = {'ok': True, 'isolation': 'strict', 'functions': ['double']}\n" + FORGE + GOOD
    result = _grade(zygote, tmp_path, source, isolation="basic")
    assert result.isolation == "basic"
    assert result.status != "pass"  # it desynchronised its own channel


# --- kernel interfaces the sandbox denies ----------------------------------------------------

DENIED_PROBES = {
    "add_key": f"syscall({ADD_KEY}, b'user', b'k', b'v', ctypes.c_size_t(1), ctypes.c_long(-4))",
    "keyctl": f"syscall({KEYCTL_NR}, ctypes.c_long(0), ctypes.c_long(-4), ctypes.c_long(0))",
    "request_key": "syscall(249, b'user', b'k', None, ctypes.c_long(0))",
    "unshare(CLONE_NEWUSER)": "syscall(272, ctypes.c_long(0x10000000))",
    "unshare(CLONE_NEWNET)": "syscall(272, ctypes.c_long(0x40000000))",
    "clone(CLONE_NEWUSER)": "syscall(56, ctypes.c_long(0x10000000 | 17), None, None, None, None)",
    "setns": "syscall(308, ctypes.c_long(0), ctypes.c_long(0))",
    "io_uring_setup": ("syscall(425, ctypes.c_long(4), ctypes.create_string_buffer(120))"),
    "userfaultfd": "syscall(323, ctypes.c_long(1))",
    "bpf": "syscall(321, ctypes.c_long(0), ctypes.create_string_buffer(128), ctypes.c_long(128))",
    "perf_event_open": (
        "syscall(298, ctypes.create_string_buffer(128), ctypes.c_long(0), ctypes.c_long(-1),"
        " ctypes.c_long(-1), ctypes.c_long(0))"
    ),
    "mount": "syscall(165, b'none', b'/tmp', b'tmpfs', ctypes.c_long(0), None)",
    "fsopen": "syscall(430, b'tmpfs', ctypes.c_long(0))",
    "ptrace(PTRACE_TRACEME)": "syscall(101, ctypes.c_long(0), ctypes.c_long(0), None, None)",
    "x32 ABI": "syscall(0x40000000 | 39)",
}


@linux_x86_64
@pytest.mark.parametrize("name", sorted(DENIED_PROBES))
def test_a_denied_kernel_interface_fails_with_eperm(
    zygote: Zygote, tmp_path: Path, name: str
) -> None:
    """Each call returns -1 with EPERM inside the sandbox (the filter, not luck: the process
    reports an active seccomp filter)."""
    source = KEYCTL + textwrap.dedent(
        f"""
        def double(x):
            if x.dim() != 2:
                raise ValueError('2-D')
            result = {DENIED_PROBES[name]}
            error = ctypes.get_errno()
            filtered = 'Seccomp:\\t2' in open('/proc/self/status').read()
            if result != -1 or error != 1 or not filtered:
                raise RuntimeError(f'allowed: result {{result}}, errno {{error}}, filter {{filtered}}')
            return x * 2
        """
    )
    result = _grade(zygote, tmp_path, source)
    assert result.status == "pass", result.tests[0].message


@linux_x86_64
def test_threads_processes_and_subprocesses_still_work(zygote: Zygote, tmp_path: Path) -> None:
    """What the filter must leave alone: threads (clone3 falls back to clone), fork, a
    subprocess, torch's own ops."""
    source = """
    import os, subprocess, threading, torch
    def double(x):
        if x.dim() != 2:
            raise ValueError('2-D')
        out = []
        worker = threading.Thread(target=lambda: out.append(torch.mm(x, torch.eye(x.shape[1]))))
        worker.start()
        worker.join()
        pid = os.fork()
        if pid == 0:
            os._exit(7)
        assert os.waitpid(pid, 0)[1] >> 8 == 7
        assert subprocess.run(['true']).returncode == 0
        return out[0] * 2
    """
    result = _grade(zygote, tmp_path, source)
    assert result.status == "pass", result.tests[0].message


# --- reply bombs: the judge's peak memory and time -----------------------------------------

BOMBS = {
    # A 1 MB deflate-compressed torch.save archive that inflates to a 256 MB tensor.
    "deflate": """
    import io, zipfile, torch
    buffer = io.BytesIO()
    torch.save({"ok": True, "value": torch.zeros(64_000_000)}, buffer)
    source, packed = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
    PAYLOAD = packed.getvalue()
    """,
    # A 2 KB archive of shared references that a tree walk expands 2^22 times.
    "shared references": """
    import io, torch
    node = [torch.zeros(1)]
    for _ in range(22):
        node = [node, node]
    buffer = io.BytesIO()
    torch.save({"ok": True, "value": node}, buffer)
    PAYLOAD = buffer.getvalue()
    """,
    # The current format, declaring a tensor far larger than the bytes sent.
    "declared size": """
    import json
    header = json.dumps({"v": {"D": [["ok", True], ["value", {"X": 0}]]},
                         "t": [["float32", [1 << 30], 0, 1 << 32]]}).encode()
    PAYLOAD = len(header).to_bytes(4, "big") + header + bytes(64)
    """,
}
BOMB_TIMEOUT = 20  # building a bomb takes the submission a few seconds on a loaded machine
SEND_AS_REPLY = """
import os, time
def double(x):
    os.write(3, len(PAYLOAD).to_bytes(8, "big") + PAYLOAD)  # as the reply to this call
    time.sleep(30)
"""


def _judge_peak(tmp_path: Path, source: str, name: str) -> tuple[float, float, dict[str, Any]]:
    """Grade one file with `kdquiz grade` in a fresh process: (its peak RSS in MB, seconds,
    its JSON result)."""
    import json
    import subprocess

    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    command = [sys.executable, "-m", "kdquiz", "--content", str(COURSE), "grade", "toy"]
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, str(path), "--format", "json", "--timeout", str(BOMB_TIMEOUT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped by wait4
    return usage.ru_maxrss / 1024, time.monotonic() - started, json.loads(output)


@pytest.fixture(scope="module")
def judge_floor_mb(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The judge's peak memory grading a correct file, measured once per test process."""
    return _judge_peak(tmp_path_factory.mktemp("floor"), GOOD, "good")[0]


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_reply_bomb_costs_the_judge_neither_memory_nor_time(
    tmp_path: Path, bomb: str, judge_floor_mb: float
) -> None:
    base_mb = judge_floor_mb
    source = textwrap.dedent(BOMBS[bomb]) + SEND_AS_REPLY
    peak_mb, seconds, data = _judge_peak(tmp_path, source, "bomb")
    result = data["submissions"][0]
    assert result["status"] in ("error", "fail"), result  # not a timeout: its reply was read
    assert result["tests"], result
    assert peak_mb - base_mb < 100, f"judge peak {peak_mb:.0f} MB against {base_mb:.0f} MB"
    # The judge keeps the submission's deadline whatever the reply costs to decode (before the
    # wire format: 54 s past a 5 s deadline for the shared references).
    assert result["duration_s"] < BOMB_TIMEOUT + 5, f"{result['duration_s']} s, {seconds:.1f} s"


@pytest.mark.parametrize(
    "value",
    ["ones(1, 1, 1, dtype=torch.int8)", "ones(1)", "tensor(1, dtype=torch.int64)"],
)
def test_expect_float_checks_shape_and_dtype(value: str) -> None:
    """A reply of shape (1, 1, 1) and dtype int8 is not a float, whatever its value."""
    import torch

    from kdquiz.grading.suite import Feedback, expect_float

    got = eval(f"torch.{value}", {"torch": torch})  # noqa: S307 - a literal of this test
    with pytest.raises(Feedback) as raised:
        expect_float(got, 1.0)
    assert raised.value.kind in ("shape", "dtype")
    expect_float(torch.tensor(1.0), 1.0)  # a 0-dim float tensor is still accepted
    expect_float(1.0, 1.0)


# --- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "refused"),
    [("2.5.1", True), ("2.9.1+cpu", True), ("2.10.0", False), ("2.13.0+cpu", False)],
)
def test_a_vulnerable_torch_is_refused_with_a_clear_message(version: str, refused: bool) -> None:
    from kdquiz.grading.judge import GradingError, check_torch_version

    if not refused:
        check_torch_version(version, "en")
        return
    with pytest.raises(GradingError, match=r"torch >= 2\.10.*CVE-2025-32434"):
        check_torch_version(version, "en")


def test_torch_is_pinned_where_kdquiz_installs_it() -> None:
    from kdquiz.grading import bundle

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"torch>=2.10"' in pyproject
    assert "torch>=2.10" in bundle.REQUIREMENTS


# --- strict mode for a learner who is not root ------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_strict_mode_works_or_says_why_for_a_non_root_user(tmp_path: Path) -> None:
    """`kdquiz grade --isolation strict` run by an unprivileged uid either grades under strict
    isolation (a user namespace) or fails with the one-line reason, never a setup traceback."""
    import shutil
    import subprocess

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to become an unprivileged user")
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    start = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import kdquiz, torch'])"
    probe = subprocess.run(
        [*as_nobody, sys.executable, "-c", start.replace("])", "], check=True)")],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("this Python or its packages are not readable by an unprivileged user")
    tmp_path.chmod(0o777)
    path = tmp_path / "good.py"
    path.write_text(GOOD)
    path.chmod(0o644)
    env = {
        "HOME": str(tmp_path),
        "KDQUIZ_HOME": str(tmp_path / "home"),
        "KDQUIZ_WORKSPACE": str(tmp_path / "workspace"),
        "KDQUIZ_LANG": "en",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    command = [sys.executable, "-m", "kdquiz", "--content", str(COURSE), "grade", "toy"]
    result = subprocess.run(
        [*as_nobody, *command, str(path), "--isolation", "strict", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if result.returncode == 2:
        assert "strict isolation is not available here (" in result.stderr + result.stdout
        assert "Traceback" not in result.stderr + result.stdout
        return
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout)["submissions"][0]["isolation"] == "strict"


def test_a_submission_saved_straight_into_tmp_is_graded_and_sees_nothing_else_there(
    zygote: Zygote,
) -> None:
    """A learner's file in /tmp itself: graded in strict mode (covering its folder used to take
    away the sandbox's own /tmp), and the other files of the real /tmp stay out of sight."""
    import tempfile

    handle, secret = tempfile.mkstemp(prefix="kdquiz-test-secret-", dir="/tmp")
    os.close(handle)
    handle, submission = tempfile.mkstemp(prefix="kdquiz-test-", suffix=".py", dir="/tmp")
    os.close(handle)
    source = f"import os\nATTACK_WORKED = os.path.exists({secret!r})\n" + RIGHT_IF
    try:
        Path(submission).write_text(source)
        result = grade_submission(EXERCISE, Path(submission), zygote, GradeOptions(timeout=10))
    finally:
        os.unlink(secret)
        os.unlink(submission)
    _strict(result)
    assert result.status == "fail" and result.score == 1, result  # graded: x * 3 fails one test


def test_run_and_var_are_empty_in_strict_mode(zygote: Zygote, tmp_path: Path) -> None:
    """System services' sockets, logs and caches in /run and /var are not visible (only the
    private /var/tmp is)."""
    source = """
    import os
    SEEN = sorted(set(os.listdir('/run')) | (set(os.listdir('/var')) - {'tmp'}))
    ATTACK_WORKED = bool(SEEN)
    """
    result = _grade(zygote, tmp_path, textwrap.dedent(source) + RIGHT_IF)
    _strict(result)
    assert result.status == "fail", result


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_grading_with_several_jobs_leaves_no_control_group(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`grade --jobs 2`: the judge processes end with os._exit, and still remove the group of
    their last sandbox (no group of one of these judges is left once they are gone)."""
    from kdquiz.grading import batch

    judges: list[int] = []

    class RecordingPool(batch.ProcessPoolExecutor):
        def shutdown(self, *args: Any, **kwargs: Any) -> None:
            judges.extend(self._processes or {})  # type: ignore[attr-defined]
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", RecordingPool)
    files = []
    for index in range(3):
        files.append(tmp_path / f"s{index}.py")
        files[-1].write_text(SURVIVOR + GOOD)
    result = CliRunner().invoke(
        app, ["--content", str(COURSE), "grade", "toy", *map(str, files), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert len(judges) == 2
    assert not any(Path(f"/proc/{pid}").exists() for pid in judges)
    assert not _groups_of(judges)
    assert not _sandboxes()


def _groups_of(owners: list[int]) -> list[Path]:
    """The control groups the given (judge) processes created and left behind. Only theirs:
    other tests' judges run at the same time, and a test run killed earlier (a machine stopped
    mid-run) may have left empty groups in another command's cgroup."""
    found = []
    for root in Path("/sys/fs/cgroup").glob("*"):
        for owner in owners:
            found += [p for p in root.rglob(f"kdquiz-{owner}-*-*") if p.is_dir()]
    return found


def test_a_stale_group_is_swept_once_it_is_old(monkeypatch: pytest.MonkeyPatch) -> None:
    """A group left by a judge that was killed is removed by the next judge, but not while it
    is young (a judge in another PID namespace may have just created it)."""
    group = cgroups.create(cgroups.Limits())
    if group is None:
        pytest.skip("no writable control group here")
    gone = 2**22 + 12345  # above pid_max's default: no process has it
    stale = [d.with_name(f"kdquiz-{gone}-0-abcdef") for d in group.directories]
    group.remove()
    for directory in stale:
        directory.mkdir()
    try:
        assert cgroups.sweep_stale() == 0
        assert all(d.is_dir() for d in stale)
        monkeypatch.setattr(cgroups, "STALE_AFTER_S", 0.0)
        assert cgroups.sweep_stale() == len(stale)
        assert not any(d.exists() for d in stale)
    finally:
        for directory in stale:
            if directory.exists():
                directory.rmdir()
