"""The grading engine against hostile submissions: none may pass, none may leave anything behind.

Runs on the fixture course's `toy` exercise (double a 2-D tensor; reject 1-D input).
"""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core.content import load_content
from kdquiz.grading.judge import GradeOptions, SubmissionResult, grade_submission
from kdquiz.grading.worker import Zygote

from .conftest import COURSE, ROOT, SESSION_RUN, SESSION_WORKER
from .procs import stat_fields

EXERCISE = load_content(COURSE).exercises["toy"]
REFERENCE = COURSE / "solutions" / "toy" / "reference.py"
GOOD = "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n    return x * 2\n"


def _grade(zygote: Zygote, tmp_path: Path, source: str, timeout: float = 10.0) -> SubmissionResult:
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(source))
    return grade_submission(EXERCISE, path, zygote, GradeOptions(timeout=timeout))


# Every warm worker this test process starts carries this in its environment (the zygote keeps
# the judge's environment except KDQUIZ_* and PYTHON*), so the tests below count only their own
# sandboxes, not those of another pytest-xdist worker or of a kdquiz run in the same checkout.
RUN_MARKER = f"KDQ_TEST_RUN={os.getpid()}-{time.time_ns()}"
os.environ["KDQ_TEST_RUN"] = RUN_MARKER.split("=", 1)[1]


def _sandbox_processes() -> list[int]:
    """This test process's warm workers (but the session's shared one) and their sandboxes,
    found by the marker in their environment (the session worker's and its sandboxes' is
    SESSION_RUN)."""
    # A process's /proc environ is the one it was started with: clearing os.environ keeps it.
    markers = (RUN_MARKER.encode() + b"\0", f"KDQ_TEST_RUN={SESSION_RUN}".encode() + b"\0")
    shared = SESSION_WORKER.pid()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            mine = b"kdquiz.grading.zygote" in cmdline and str(ROOT).encode() in cmdline
            mine = mine and any(marker in environ for marker in markers)
            if mine and int(entry.name) not in (os.getpid(), shared):
                found.append(int(entry.name))
    return found


def test_a_correct_submission_passes(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(zygote, tmp_path, GOOD)
    assert result.status == "pass" and result.score == result.max_score == 2
    assert result.isolation in ("strict", "basic")


HOSTILE = {
    "exit at import": "import sys\nsys.exit(0)\n",
    "exit inside the function": "import sys\ndef double(x):\n    sys.exit(0)\n",
    "os._exit inside the function": "import os\ndef double(x):\n    os._exit(0)\n",
    "KeyboardInterrupt": "def double(x):\n    raise KeyboardInterrupt\n",
    "lying __eq__": (
        "class Liar:\n    def __eq__(self, other): return True\n    shape = (3, 4)\n"
        "def double(x):\n    if x.dim() != 2: raise ValueError\n    return Liar()\n"
    ),
    "tensor subclass": (
        "import torch\nclass T(torch.Tensor):\n    def __eq__(self, other): return True\n"
        "def double(x):\n    if x.dim() != 2: raise ValueError\n    return (x * 0).as_subclass(T)\n"
    ),
    "patched torch.allclose and assert_close": (
        "import torch, torch.testing\ntorch.allclose = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\n"
        "def double(x):\n    if x.dim() != 2: raise ValueError\n    return x * 3\n"
    ),
    "fake pytest summary": (
        "print('===== 2 passed in 0.01s =====')\nimport sys\nsys.stdout.write('PASSED\\n')\n"
        "def double(x):\n    print('2 passed, 0 failed')\n    if x.dim() != 2: raise ValueError\n    return x\n"
    ),
    "skip from pytest": ("import pytest\ndef double(x):\n    pytest.skip('nothing to see')\n"),
    "changed torch global state": (
        "import torch\ntorch.set_default_dtype(torch.float64)\ntorch.set_grad_enabled(False)\n"
        "torch.manual_seed(0)\ndef double(x):\n    if x.dim() != 2: raise ValueError\n"
        "    return torch.ones(3, 4)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_submission_does_not_pass(zygote: Zygote, tmp_path: Path, name: str) -> None:
    result = _grade(zygote, tmp_path, HOSTILE[name])
    assert result.status != "pass", result
    assert result.score < 2
    assert not _leftover_children(zygote)


def _leftover_children(zygote: Zygote) -> list[int]:
    """Sandbox processes still alive (killed ones may take a moment to be reaped)."""
    deadline = time.monotonic() + 10
    while True:
        alive = [
            pid for pid in _sandbox_processes() if pid != zygote.process.pid and not _zombie(pid)
        ]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _zombie(pid: int) -> bool:
    return stat_fields(pid)[:1] in ([], ["Z"])  # gone, or a zombie


def test_global_state_does_not_leak_to_the_next_submission(zygote: Zygote, tmp_path: Path) -> None:
    _grade(zygote, tmp_path, HOSTILE["changed torch global state"])
    assert _grade(zygote, tmp_path, GOOD).status == "pass"


def test_endless_loop_times_out_and_is_killed(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(
        zygote, tmp_path, "def double(x):\n    while True:\n        pass\n", timeout=1.5
    )
    assert result.status == "timeout"
    assert result.duration_s < 8
    assert not _leftover_children(zygote)


def test_endless_loop_at_import_times_out(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(zygote, tmp_path, "while True:\n    pass\n", timeout=1)
    assert result.status == "timeout"


def test_memory_hog_fails_without_harm(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(
        zygote,
        tmp_path,
        "import torch\ndef double(x):\n    big = torch.ones(64, 1024, 1024, 1024)\n    return x * 2\n",
    )
    assert result.status != "pass"
    assert any(
        "MemoryError" in t.message or "memory" in t.message.lower() or "RuntimeError" in t.message
        for t in result.tests
    )


def test_fork_loop_leaves_no_process(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(
        zygote,
        tmp_path,
        "import os\ndef double(x):\n    while True:\n        try:\n            os.fork()\n"
        "        except OSError:\n            pass\n",
        timeout=1.5,  # every forked process spins: a short budget keeps the machine usable
    )
    assert result.status != "pass"
    assert not _leftover_children(zygote)


def test_cannot_read_the_reference_or_the_suite(zygote: Zygote, tmp_path: Path) -> None:
    suite = COURSE / "exercises" / "toy" / "test_hidden.py"
    source = f"""
    def double(x):
        # Pass only if the hidden files can be read from disk.
        open({str(REFERENCE)!r}).read()
        open({str(suite)!r}).read()
        if x.dim() != 2:
            raise ValueError
        return x * 2
    """
    result = _grade(zygote, tmp_path, source)
    if result.isolation != "strict":
        pytest.skip("strict isolation is not available on this machine")
    assert result.status != "pass"
    assert "FileNotFoundError" in result.tests[0].message or "Permission" in result.tests[0].message


def test_cannot_write_outside_its_scratch_directory(zygote: Zygote, tmp_path: Path) -> None:
    targets = [
        tmp_path / "planted.txt",
        COURSE / "exercises" / "toy" / "conftest.py",
        Path(os.environ["KDQUIZ_HOME"]) / "planted.txt",
    ]
    source = f"""
    import json
    written = []
    for target in {[str(t) for t in targets]!r} + ["results.json", "/tmp/results.json"]:
        try:
            with open(target, "w") as handle:
                handle.write(json.dumps({{"status": "pass", "score": 2}}))
            written.append(target)
        except OSError:
            pass
    def double(x):
        if x.dim() != 2:
            raise ValueError
        return x * 0
    """
    result = _grade(zygote, tmp_path, source)
    assert result.status == "fail"
    if result.isolation == "strict":
        for target in targets:
            assert not target.exists(), target


def test_syntax_error_is_one_clear_message(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(zygote, tmp_path, "def double(x)\n    return x\n")
    assert result.status == "error"
    assert result.message.startswith("syntax error on line 1")


def test_missing_function_is_one_clear_message(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(zygote, tmp_path, "def triple(x):\n    return x * 3\n")
    assert result.status == "error"
    assert result.message == "your file does not define double()"


def test_feedback_names_the_problem_without_the_answer(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(zygote, tmp_path, "def double(x):\n    return x * 3\n")
    first, second = result.tests
    assert first.status == "fail" and "max abs error" in first.message and "B=3" in first.message
    assert (
        second.message == "did not raise ValueError — check the number of dimensions (see hint 2)"
    )
    assert "x * 2" not in json.dumps(result.as_dict())


def test_grade_json_contract_and_exit_codes(tmp_path: Path, shared_worker: object) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(GOOD)
    bad.write_text("def double(x):\n    return x\n")
    runner = CliRunner()
    result = runner.invoke(
        app, ["--content", str(COURSE), "grade", "toy", str(good), str(bad), "--format", "json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["exercise"] == "toy"
    first, second = data["submissions"]
    assert set(first) >= {
        "path",
        "status",
        "score",
        "max_score",
        "duration_s",
        "isolation",
        "tests",
    }
    assert (first["status"], first["score"], first["max_score"]) == ("pass", 2, 2)
    assert second["status"] == "fail"
    assert {"name", "status", "message"} == set(first["tests"][0])
    only_good = runner.invoke(
        app, ["--content", str(COURSE), "grade", "toy", str(good), "-f", "json"]
    )
    assert only_good.exit_code == 0
    missing = runner.invoke(
        app, ["--content", str(COURSE), "grade", "toy", str(tmp_path / "nope.py")]
    )
    assert missing.exit_code == 2 and "no such file" in missing.output
    unknown = runner.invoke(app, ["--content", str(COURSE), "grade", "toyy", str(good)])
    assert unknown.exit_code == 2 and "did you mean 'toy'" in unknown.output


def test_learner_loop_start_check_hint_solution(shared_worker: object) -> None:
    runner = CliRunner()
    base = ["--content", str(COURSE)]
    started = runner.invoke(app, [*base, "exercise", "start", "toy"])
    assert started.exit_code == 0 and "Your file:" in started.output
    path = Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py"
    assert path.exists()
    failing = runner.invoke(app, [*base, "check", "toy"])
    assert failing.exit_code == 1 and "NotImplementedError" in failing.output
    hinted = runner.invoke(app, [*base, "hint", "toy"])
    assert "Hint 1/3" in hinted.output
    assert "Hint 2/3" in runner.invoke(app, [*base, "hint", "toy"]).output
    refused = runner.invoke(app, [*base, "solution", "toy"])
    assert refused.exit_code == 1
    path.write_text(GOOD)
    kept = runner.invoke(app, [*base, "exercise", "start", "toy"])
    assert "kept" in kept.output and path.read_text() == GOOD
    passing = runner.invoke(app, [*base, "check", "toy"])
    assert passing.exit_code == 0 and "All tests pass" in passing.output
    assert "x * 2" in runner.invoke(app, [*base, "solution", "toy"]).output
    listed = runner.invoke(app, [*base, "exercise", "list"])
    assert "passing" in listed.output


def test_dev_check_proves_the_fixture_course(shared_worker: object) -> None:
    result = CliRunner().invoke(app, ["--content", str(COURSE), "dev", "check"])
    assert result.exit_code == 0, result.output
    assert "BAD" not in result.output


def test_test_names_follow_the_language(zygote: Zygote, tmp_path: Path) -> None:
    path = tmp_path / "good.py"
    path.write_text(GOOD)
    result = grade_submission(EXERCISE, path, zygote, GradeOptions(lang="zh"))
    assert [t.name for t in result.tests] == ["将随机矩阵翻倍", "拒绝一维张量"]
    # a test without a `zh:` line (validate warns) falls back to its English title
    import shutil

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    suite = course / "exercises" / "toy" / "test_hidden.py"
    suite.write_text(suite.read_text(encoding="utf-8").replace("    zh: 拒绝一维张量\n", ""))
    exercise = load_content(course).exercises["toy"]
    result = grade_submission(exercise, path, zygote, GradeOptions(lang="zh"))
    assert [t.name for t in result.tests] == ["将随机矩阵翻倍", "rejects a 1-D tensor"]


def test_gradients_can_be_requested_inside_a_list_argument(tmp_path: Path) -> None:
    import torch

    from kdquiz.grading.proxy import LocalTransport, Submission

    path = tmp_path / "s.py"
    path.write_text("def loss(s, ts):\n    return (s * ts[0] * ts[1].detach()).sum()\n")
    result = Submission(LocalTransport(path)).loss.call(
        torch.ones(2), [torch.ones(2) * 2, torch.ones(2) * 3], grad_of=[0, (1, 0), (1, 1)]
    )
    assert float(result.value) == 12.0
    assert result.grads[0].tolist() == [6.0, 6.0]
    assert result.grads[(1, 0)].tolist() == [3.0, 3.0]
    assert result.grads[(1, 1)] is None


def test_a_failing_parametrized_case_is_not_hidden_by_a_passing_one(tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    (course / "exercises" / "toy" / "test_hidden.py").write_text(
        "import pytest\nimport torch\n\nfrom kdquiz.grading.suite import expect_close\n\n\n"
        "@pytest.mark.parametrize('rows', [2, 3])\n"
        "def test_rows(submission, reference, rows):\n"
        '    """doubles"""\n'
        "    x = torch.ones(rows, 2)\n"
        "    expect_close(submission.double(x), reference.double(x))\n"
    )
    path = tmp_path / "sneaky.py"
    path.write_text("def double(x):\n    return x * 2 if x.shape[0] == 2 else x * 3\n")
    exercise = load_content(course).exercises["toy"]
    with Zygote() as worker:
        result = grade_submission(exercise, path, worker, GradeOptions())
    assert result.status == "fail" and (result.score, result.max_score) == (1, 2)
    assert [t.name for t in result.tests] == ["doubles [2]", "doubles [3]"]


def test_advice_is_not_added_to_shape_or_dtype_failures(zygote: Zygote, tmp_path: Path) -> None:
    result = _grade(
        zygote,
        tmp_path,
        "def double(x):\n    if x.dim() != 2:\n        return 0\n    return (x * 2).double()\n",
    )
    assert result.tests[0].message == "dtype torch.float64 on B=3, expected torch.float32"
    assert result.tests[1].message.endswith("(see hint 2)")


def test_one_warm_worker_serves_several_judges(tmp_path: Path) -> None:
    """`grade --jobs N`: each judge process gets its own channel to one zygote; sandboxes from
    either channel are isolated as usual, closing a shared channel leaves the zygote serving,
    closing the first one stops it."""
    with Zygote() as primary:
        shared = Zygote.attach(primary.share())
        bad = tmp_path / "bad"
        bad.mkdir()
        for worker, source, status in (
            (shared, GOOD, "pass"),
            (primary, "def double(x):\n    return x * 3\n", "fail"),
            (shared, "import os\nos._exit(0)\n", "error"),
        ):
            result = _grade(worker, bad, source)
            assert result.status == status, result
            if status != "error":
                assert result.isolation in ("strict", "basic")
        shared.close()
        assert _grade(primary, tmp_path, GOOD).status == "pass"
        process = primary.process
        assert process is not None
    assert process.wait(timeout=10) is not None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_cannot_start_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: str
) -> None:
    """No torch (or a broken one) in the warm worker: a clear error, not a traceback or a hang."""
    from kdquiz.grading import worker

    def broken(self: Zygote, timeout: float = 60.0) -> None:
        raise worker.ZygoteError("the grading worker did not start (is torch installed?)")

    monkeypatch.setattr(worker.Zygote, "wait_ready", broken)
    files = []
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(GOOD)
        files.append(str(tmp_path / name))
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["--content", str(COURSE), "grade", "toy", *files, "--jobs", jobs]
    )
    assert result.exit_code == 2, result.output
    assert "the grading worker did not start" in result.output
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "source",
    [
        "def double(x):\n    if x.dim() != 2: raise ValueError\n    x *= 2\n    return x\n",
        "def double(x):\n    if x.dim() != 2:\n        x.fill_(1.0)\n        raise ValueError\n"
        "    return x * 2\n",
    ],
    ids=["returns its doubled input", "fills its input before raising"],
)
def test_changing_an_input_in_place_fails(zygote: Zygote, tmp_path: Path, source: str) -> None:
    """The values are right, but the caller's tensor was changed: every check says so."""
    result = _grade(zygote, tmp_path, source)
    assert result.status == "fail"
    assert any("changes its input `x` in place" in t.message for t in result.tests), result.tests


def test_a_list_argument_whose_items_are_replaced_is_caught() -> None:
    import torch

    from kdquiz.grading import protocol

    def replaces(items: list[torch.Tensor]) -> int:
        items[0] = items[0] * 2
        return len(items)

    def keeps(items: list[torch.Tensor]) -> int:
        return len([i * 2 for i in items])

    request = {"fn": "f", "args": [[torch.ones(2), torch.zeros(2)]], "kwargs": {}, "grad_of": []}
    assert protocol.execute_call({"f": replaces}, request)["mutated"] == ["items"]
    assert protocol.execute_call({"f": keeps}, request)["mutated"] == []


def test_rechecking_does_not_freeze_each_check_garbage(zygote: Zygote, tmp_path: Path) -> None:
    """The judge freezes the long-lived objects once per process: re-checking (the app, --watch)
    must not add each check's garbage to the frozen set, where it would never be freed (it grew
    by ~1,300 objects per re-check), nor grow the live objects: 50 re-checks, memory flat."""
    import gc

    for _ in range(3):  # caches that fill once (pytest's, torch's) are not a leak
        _grade(zygote, tmp_path, GOOD)
    gc.collect()
    frozen, live = gc.get_freeze_count(), len(gc.get_objects())
    for _ in range(50):
        assert _grade(zygote, tmp_path, GOOD).status == "pass"
    gc.collect()
    assert gc.get_freeze_count() - frozen < 100, gc.get_freeze_count() - frozen
    assert len(gc.get_objects()) - live < 2_000, len(gc.get_objects()) - live


def test_the_judge_speaks_the_learners_language(zygote: Zygote, tmp_path: Path) -> None:
    """The judge's own messages come from the grading catalogue in both languages."""
    path = tmp_path / "s.py"
    path.write_text("def triple(x):\n    return x * 3\n")
    result = grade_submission(EXERCISE, path, zygote, GradeOptions(lang="zh"))
    assert result.message == "你的文件没有定义 double()"
    path.write_text("def double(x)\n    return x\n")
    result = grade_submission(EXERCISE, path, zygote, GradeOptions(lang="zh"))
    assert result.message.startswith("语法错误（第 1 行）")


def test_warm_up_covers_what_a_first_optimizer_imports() -> None:
    """builders.warm_up hides torch's lazy ``torch._dynamo`` import (~1 s) from graded time: if a
    torch upgrade makes the first optimizer import something else, this test says so."""
    import subprocess
    import sys

    code = textwrap.dedent(
        """
        import sys, torch
        from kdquiz.grading import builders
        builders.warm_up()
        before = set(sys.modules)
        model = torch.nn.Linear(3, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        model(torch.ones(4, 3)).sum().backward()
        optimizer.step()
        heavy = ("sympy", "torch._dynamo", "torch._inductor", "torch._functorch", "torch.fx")
        print(sorted(m for m in set(sys.modules) - before if m.startswith(heavy)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out


def test_the_zygote_warms_up_once_per_handle(zygote: Zygote) -> None:
    with zygote.warming_up():
        pass
    assert zygote._warm
    with zygote.warming_up():  # the second time sends nothing: a spawn still gets its reply
        pass
    result = _grade_in(zygote)
    assert result.status == "pass", result.message


def _grade_in(zygote: Zygote) -> SubmissionResult:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return _grade(zygote, Path(folder), GOOD)


def test_a_sandbox_that_cannot_be_set_up_is_one_line() -> None:
    """The child's setup traceback becomes its error and where it was raised, not a traceback."""
    report = (
        "Traceback (most recent call last):\n"
        '  File "/x/kdquiz/grading/zygote.py", line 52, in _child\n'
        "    level, scratch, uid = _confine(config)\n"
        '  File "<frozen os>", line 225, in makedirs\n'
        "OSError: [Errno 30] Read-only file system: '/tmp/work'\n"
    )
    from kdquiz.grading import judge

    line = judge._last_error(report)
    assert line == "OSError: [Errno 30] Read-only file system: '/tmp/work' (zygote.py:52)"
    assert judge._last_error("") == "?"
