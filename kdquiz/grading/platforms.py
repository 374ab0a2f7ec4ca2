"""Running kdquiz's grader where a course platform runs it: Gradescope's autograder container and
a GitHub Actions job (with or without GitHub Classroom).

Both entry points grade one submission with ``kdquiz grade --format json`` in a child process
and only then, once **every process the grading started is gone**, write the results. This
process makes itself the "child subreaper" of everything below it (Linux), so a process the
submission left behind (daemonised, in a new session) is re-parented here instead of escaping,
and is killed before a single result byte is written. The results travel from the grader to
this process through a pipe, never through a file the submission could have opened, and are
then written to a temporary file and renamed over the target (a file or link the submission
planted there is replaced, not followed). Under strict isolation the sandbox already guarantees
all of this; under basic isolation it is what stops a left-behind process from rewriting a grade
after grading (see docs/grading.md for what basic still cannot stop).

Run as ``python -m kdquiz.grading.platforms gradescope|classroom ...`` by the bundle's scripts;
this module needs only the standard library and kdquiz's own grading exports (Python 3.10+).
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PR_SET_CHILD_SUBREAPER = 36

COMMAND_GRADER_ENV: dict[str, str | None] = {
    "PATH": None,
    "FORCE_COLOR": "true",
    "DOTNET_CLI_HOME": "/tmp",
    "DOTNET_NOLOGO": "true",
    "HOME": None,
}
"""The only variables GitHub Classroom's autograding-command-grader passes to its command
(its ``src/runner.js``; None: the runner's own value): the workflow's grading command must work
with these alone, and the workflow runs it with exactly these."""


def command_grader_env(environ: dict[str, str]) -> dict[str, str]:
    """The environment the command grader gives a command, from the runner's ``environ``."""
    return {
        name: environ.get(name, "") if value is None else value
        for name, value in COMMAND_GRADER_ENV.items()
    }


def become_subreaper() -> bool:
    """Orphans of our descendants are re-parented to this process (Linux); False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_of(pid: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields after the last ')'.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _descendants(pid: int) -> list[int]:
    seen: list[int] = []
    stack = [pid]
    while stack:
        for child in _children_of(stack.pop()):
            if child not in seen:
                seen.append(child)
                stack.append(child)
    return seen


def kill_leftovers(deadline_s: float = 10.0) -> int:
    """Kill every remaining descendant of this process and reap it; returns how many were
    killed. Repeats until none is left: a process forked while we looked is a child of one we
    kill, so it is re-parented to us and found on the next pass."""
    killed = 0
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        alive = _descendants(os.getpid()) if os.path.isdir("/proc") else []
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        _reap()
        if not alive:
            return killed
        time.sleep(0.02)
    raise RuntimeError("processes of the submission could not be killed")


def _reap() -> None:
    """Collect the exit status of every child that has ended (zombies take no more space)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` by renaming a fresh file over it (never following a link
    or reusing a file someone else opened)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".kdquiz-", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, target)


def grade_isolated(
    source: Path, exercise: str, submission: Path, isolation: str, seed: int | None = None
) -> tuple[int, dict[str, Any] | None, str]:
    """Grade ``submission`` with the bundled kdquiz in a child process; every process left
    behind is killed before this returns. Returns (exit status, the JSON results or None, the
    grader's stderr)."""
    become_subreaper()
    command = [
        sys.executable,
        "-m",
        "kdquiz",
        "--content",
        str(source / "content"),
        "grade",
        exercise,
        str(submission),
        "--format",
        "json",
        "--isolation",
        isolation,
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(source / "kdquiz_src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    env.setdefault("KDQUIZ_HOME", str(source / ".home"))
    env.pop("KDQUIZ_CONTENT", None)
    # Read both pipes while the grader runs (a full pipe would stall it), wait for the grader,
    # kill what is left, and only then take the output: a left-behind process holding a pipe
    # open can neither keep us waiting nor add to what we read after it is dead.
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    chunks: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, chunks, "out"), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, chunks, "err"), daemon=True),
    ]
    for reader in readers:
        reader.start()
    returncode = process.wait()
    kill_leftovers()
    for reader in readers:
        reader.join(timeout=10)
    stdout, stderr = chunks.get("out", b""), chunks.get("err", b"")
    try:
        data = json.loads(stdout.decode("utf-8"))
        if not isinstance(data, dict) or len(data.get("submissions", [])) != 1:
            data = None
    except (UnicodeDecodeError, ValueError):
        data = None
    return returncode, data, stderr.decode("utf-8", "replace")


def _drain(pipe: Any, chunks: dict[str, bytes], key: str) -> None:
    chunks[key] = pipe.read()
    pipe.close()


def result_from_json(data: dict[str, Any]) -> Any:
    """The :class:`SubmissionResult` of the JSON contract's submission object."""
    from kdquiz.grading.judge import SubmissionResult
    from kdquiz.grading.plugin import TestResult

    tests = [
        TestResult(t["name"], t["status"], t.get("message", ""), weight=int(t.get("weight", 1)))
        for t in data.get("tests", [])
    ]
    return SubmissionResult(
        path=data["path"],
        status=data["status"],
        score=int(data["score"]),
        max_score=int(data["max_score"]),
        duration_s=float(data.get("duration_s", 0.0)),
        isolation=str(data.get("isolation", "")),
        tests=tests,
        message=data.get("message", ""),
        output=data.get("output", ""),
        sha256=data.get("sha256", ""),
        seed=data.get("seed"),
    )


def _failure_text(status: int, stderr: str, isolation: str) -> str:
    from kdquiz.core.i18n import t

    tail = " ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
    if isolation == "strict" and "strict" in stderr.lower():
        return t("export.strict_unavailable", "en", detail=tail)
    return t("export.grader_failed", "en", status=status, detail=tail)


# Gradescope -----------------------------------------------------------------------------------


def run_gradescope(root: Path, exercise: str, isolation: str, visibility: str) -> None:
    """Gradescope's run_autograder: /autograder/submission -> /autograder/results/results.json."""
    from kdquiz.core.i18n import t
    from kdquiz.grading.exports import gradescope_result

    source = root / "source"
    results = root / "results" / "results.json"
    submission = root / "submission" / f"{exercise}.py"
    if not submission.is_file():
        found = sorted(p for p in (root / "submission").rglob("*.py") if p.is_file())
        if len(found) != 1:
            text = t("export.no_submission", "en", name=f"{exercise}.py", count=len(found))
            write_atomically(results, json.dumps(_gradescope_failure(text)))
            return
        submission = found[0]
    status, data, stderr = grade_isolated(source, exercise, submission, isolation)
    write_atomically(root / "results" / "grader.log", stderr)
    if data is None or status == 2:
        text = _failure_text(status, stderr, isolation)
        write_atomically(results, json.dumps(_gradescope_failure(text)))
        return
    meta = {k: v for k, v in data.items() if k != "submissions"}
    graded = result_from_json(data["submissions"][0])
    payload = gradescope_result(graded, meta, visibility)
    write_atomically(results, json.dumps(payload, ensure_ascii=False, indent=2))


def _gradescope_failure(text: str) -> dict[str, Any]:
    return {"score": 0.0, "output": text, "tests": [], "visibility": "visible"}


# GitHub Actions / Classroom --------------------------------------------------------------------


def classroom_result(result: Any) -> dict[str, Any]:
    """The result in the format of GitHub Classroom's autograding reporter (what its graders
    put, base64-encoded, in a step's ``result`` output): per-test points, so a student gets the
    points of every test passed rather than all or nothing."""
    tests = [
        {
            "name": test.name,
            "status": "pass" if test.status == "pass" else "fail",
            "score": test.weight if test.status == "pass" else 0,
            "message": test.message,
            "test_code": "",
            "filename": "",
            "line_no": 0,
            "duration": 0,
        }
        for test in result.tests
    ]
    if not tests:  # did not load: one failed test carries the reason and the points
        tests = [
            {
                "name": "load",
                "status": "error",
                "score": 0,
                "message": result.message,
                "test_code": "",
                "filename": "",
                "line_no": 0,
                "duration": 0,
            }
        ]
    status = "pass" if result.status == "pass" else "fail" if result.tests else "error"
    return {"version": 1, "status": status, "max_score": result.max_score, "tests": tests}


def job_summary(result: Any, exercise: str) -> str:
    """Markdown for the job summary page of the run."""
    from kdquiz.grading.exports import printed

    lines = [
        f"## kdquiz {exercise}: {result.score}/{result.max_score} ({result.status})",
        "",
        f"isolation: {result.isolation} · seed: {result.seed} · sha256: `{result.sha256[:12]}`",
        "",
    ]
    if result.message:
        lines += [result.message.replace("|", "\\|"), ""]
    if result.tests:
        lines += ["| test | points | message |", "| --- | --- | --- |"]
        for test in result.tests:
            points = test.weight if test.status == "pass" else 0
            message = test.message.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {test.name} | {points}/{test.weight} | {message} |")
    if result.output.strip():
        lines += ["", "<details><summary>Your code printed</summary>", "", "```"]
        lines += [printed(result).replace("```", "'''"), "```", "", "</details>"]
    return "\n".join(lines) + "\n"


def run_classroom(source: Path, exercise: str, submission: Path, out: Path, isolation: str) -> int:
    """Grade the repository's file; write ``results.json`` (the JSON contract), ``result.b64``
    (the reporter's format), ``summary.md`` (the job summary) into ``out``. Exit 0 when the
    grading ran (whatever the score), 2 when it could not."""
    from kdquiz.core.i18n import t

    if not submission.is_file():
        text = t("export.no_submission", "en", name=submission.name, count=0)
        _write_classroom(out, None, text, exercise)
        print(text, file=sys.stderr)
        return 0
    status, data, stderr = grade_isolated(source, exercise, submission, isolation)
    if data is None or status == 2:
        text = _failure_text(status, stderr, isolation)
        _write_classroom(out, None, text, exercise)
        print(text, file=sys.stderr)
        return 2
    graded = result_from_json(data["submissions"][0])
    write_atomically(out / "results.json", json.dumps(data, ensure_ascii=False, indent=2))
    _write_classroom(out, graded, "", exercise)
    print(f"kdquiz {exercise}: {graded.score}/{graded.max_score} ({graded.status})")
    return 0


def _write_classroom(out: Path, graded: Any, failure: str, exercise: str) -> None:
    if graded is None:
        payload: dict[str, Any] = {
            "version": 1,
            "status": "error",
            "max_score": 0,
            "tests": [{"name": "kdquiz", "status": "error", "score": 0, "message": failure}],
        }
        summary = f"## kdquiz {exercise}: not graded\n\n{failure}\n"
    else:
        payload = classroom_result(graded)
        summary = job_summary(graded, exercise)
    encoded = base64.b64encode(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    write_atomically(out / "result.b64", encoded.decode("ascii"))
    write_atomically(out / "summary.md", summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kdquiz.grading.platforms")
    sub = parser.add_subparsers(dest="platform", required=True)
    gradescope = sub.add_parser("gradescope", help="Gradescope's run_autograder")
    gradescope.add_argument("--root", type=Path, default=Path("/autograder"))
    gradescope.add_argument("--exercise", required=True)
    gradescope.add_argument("--isolation", default="strict", choices=("strict", "basic"))
    gradescope.add_argument("--visibility", default="visible")
    classroom = sub.add_parser("classroom", help="a GitHub Actions job (with or without Classroom)")
    classroom.add_argument("--source", type=Path, required=True)
    classroom.add_argument("--exercise", required=True)
    classroom.add_argument("--submission", type=Path, required=True)
    classroom.add_argument("--out", type=Path, required=True)
    classroom.add_argument("--isolation", default="strict", choices=("strict", "basic"))
    args = parser.parse_args(argv)
    if args.platform == "gradescope":
        run_gradescope(args.root, args.exercise, args.isolation, args.visibility)
        return 0
    return run_classroom(args.source, args.exercise, args.submission, args.out, args.isolation)


if __name__ == "__main__":
    raise SystemExit(main())
