"""Grading submissions: the trusted judge.

The judge holds the hidden suite and the reference and decides pass or fail from pytest's reports
in its own process. It never imports a submission: each one runs in a sandboxed child forked from
the warm :class:`~kdquiz.grading.worker.Zygote`, and only plain data comes back. The verdict never
depends on the child's exit status, output or files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kdquiz.core.content import LoadedExercise
from kdquiz.grading.plugin import GradingPlugin, TestResult, _safe

EMPTY_INI = Path(__file__).with_name("pytest.ini")


class GradingError(Exception):
    """The grading itself cannot run (exit status 2): unknown exercise, missing file, bad suite."""


@dataclass
class SubmissionResult:
    """The graded outcome of one submission (the JSON contract's submission object)."""

    path: str
    status: str  # pass | fail | error | timeout
    score: int
    max_score: int
    duration_s: float
    isolation: str
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    output: str = ""
    sha256: str = ""
    """Hash of the submission's bytes, so a grade can be tied to exactly what was graded."""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "duration_s": round(self.duration_s, 3),
            "isolation": self.isolation,
            "tests": [t.as_dict() for t in self.tests],
        }
        if self.message:
            data["message"] = self.message
        return data


@dataclass
class GradeOptions:
    """How to grade."""

    lang: str = "en"
    timeout: float | None = None
    isolation: str = "auto"  # auto | strict | basic
    memory_mb: int = 2048


def suite_digest(exercise: LoadedExercise) -> str:
    """Hash of what decides a grade (the hidden suite and the reference), so a changed suite is
    visible in every result graded with it."""
    digest = hashlib.sha256()
    for path in (exercise.suite_path, exercise.reference_path):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_metadata(exercise: LoadedExercise) -> dict[str, Any]:
    """What a grade depends on besides the submission: for reproducing it later."""
    from importlib.metadata import PackageNotFoundError, version

    import kdquiz

    try:
        torch_version = version("torch")
    except PackageNotFoundError:
        torch_version = "unknown"
    return {
        "exercise": exercise.id,
        "suite_sha256": suite_digest(exercise),
        "kdquiz_version": kdquiz.__version__,
        "torch_version": torch_version,
    }


def _msg(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _hidden_paths(exercise: LoadedExercise, submission: Path) -> list[Path]:
    from kdquiz.core import locations

    root = exercise.folder.parent.parent
    paths = [root / "exercises", root / "solutions", root / "questions", locations.data_dir()]
    paths.append(submission.resolve().parent)
    try:
        from kdquiz.core.workspace import workspace_dir

        paths.append(workspace_dir())
    except RuntimeError:
        pass
    return [p for p in paths if p.exists()]


_TUNED: list[bool] = []


def _builds_optimizers(exercise: LoadedExercise) -> bool:
    """Whether the hidden suite sends optimizers or trains models itself, so that both sides
    build torch optimizers (see :func:`kdquiz.grading.builders.warm_up`)."""
    try:
        suite = exercise.suite_path.read_text(encoding="utf-8")
    except OSError:
        return False
    return "OptimizerSpec" in suite or "torch.optim." in suite


# pytest plugins a hidden suite never needs (measured: 0.25 s -> 0.21 s per re-check).
LEAN_PYTEST = [
    *("-p", "no:logging", "-p", "no:unraisableexception", "-p", "no:threadexception"),
    *("-p", "no:faulthandler", "-p", "no:junitxml", "-p", "no:doctest", "-p", "no:pastebin"),
    *("-p", "no:stepwise", "-p", "no:legacypath"),
]


@contextlib.contextmanager
def _no_plugin_autoload() -> Any:
    """Hidden suites run with the plugins kdquiz gives them, not whatever else is installed."""
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


def _forget_suite_modules(folder: Path) -> None:
    """Drop the suite's modules from sys.modules: every exercise's suite is named test_hidden.py,
    and pytest's importlib mode would otherwise hand the next exercise this one's module."""
    import sys

    # Strings only: resolving every module's path after every submission costs more than grading.
    roots = (str(folder), str(folder.resolve()))
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(roots):
            del sys.modules[name]


_PLAN_CACHE: dict[tuple[str, ...], dict[str, list[str]]] = {}


def _plan(paths: list[Path]) -> dict[str, list[str]]:
    from kdquiz.grading.sandbox import plan_hidden

    key = tuple(sorted(str(p) for p in paths))
    if key not in _PLAN_CACHE:
        _PLAN_CACHE[key] = plan_hidden(paths)
    return _PLAN_CACHE[key]


def grade_submission(
    exercise: LoadedExercise,
    path: Path,
    zygote: Any,
    options: GradeOptions,
    on_result: Callable[[TestResult], None] | None = None,
    shown_path: str | None = None,
) -> SubmissionResult:
    """Grade one file against the exercise's hidden suite."""
    import pytest

    lang = options.lang
    started = time.monotonic()
    shown = shown_path or str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GradingError(_msg(lang, f"no such file: {path}", f"文件不存在：{path}")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GradingError(
            _msg(lang, f"cannot read {path}: {exc}", f"无法读取 {path}：{exc}")
        ) from None

    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()

    def result(
        status: str,
        message: str = "",
        tests: list[TestResult] | None = None,
        isolation: str = "none",
        output: str = "",
    ) -> SubmissionResult:
        tests = tests or []
        return SubmissionResult(
            shown,
            status,
            sum(t.status == "pass" for t in tests),
            len(tests),
            time.monotonic() - started,
            isolation,
            tests,
            _safe(message, 1500),
            output,
            digest,
        )

    # Compiling is not running: a syntax error is found without starting a process.
    try:
        compile(source, "submission.py", "exec")
    except SyntaxError as exc:
        where = _msg(lang, f"line {exc.lineno}", f"第 {exc.lineno} 行")
        return result(
            "error",
            _msg(lang, f"syntax error on {where}: {exc.msg}", f"语法错误（{where}）：{exc.msg}"),
        )
    except ValueError as exc:
        return result("error", str(exc))

    timeout = options.timeout or exercise.meta.timeout
    import torch  # the judge's own imports are not the submission's time either

    if not _TUNED:
        # The reference's tensors are small: one thread avoids oversubscribing the cores the
        # sandboxes use (measured by benchmarks/: a warm re-check 0.61 s -> 0.44 s).
        torch.set_num_threads(1)
        _TUNED.append(True)

    zygote.wait_ready()  # the warm worker's start-up (importing torch) is not the submission's time
    if _builds_optimizers(exercise):
        # Nor is what torch's first optimizer imports (builders.warm_up, ~1 s each side, once).
        with zygote.warming_up():
            from kdquiz.grading import builders

            builders.warm_up()
    started = time.monotonic()
    deadline = time.monotonic() + timeout
    config = {
        "source": source,
        "isolation": options.isolation,
        "hidden": _plan(_hidden_paths(exercise, path)) if options.isolation != "basic" else {},
        "memory_mb": options.memory_mb,
        "cpu_seconds": int(timeout) + 2,
        "max_processes": 64,
    }
    child = zygote.spawn(config, deadline)
    try:
        try:
            hello = child.hello()
        except Exception as exc:  # noqa: BLE001 - SubmissionLost: died or hung while loading
            reason = getattr(exc, "reason", "crashed")
            if reason == "timeout":
                return result(
                    "timeout",
                    _msg(lang, "timed out while loading your file", "加载你的文件时超时"),
                    output=child.output,
                )
            return result(
                "error",
                _msg(
                    lang,
                    "your file ended the process while it was being loaded",
                    "加载你的文件时进程被结束",
                ),
                output=child.output,
            )
        isolation = str(hello.get("isolation", "basic"))
        if hello.get("fatal"):
            raise GradingError(str(hello["fatal"]))
        if not hello.get("ok"):
            error = hello.get("load_error") or {}
            where = str(error.get("traceback", "")).splitlines()[-1:] or [""]
            text = f"{error.get('type')}: {str(error.get('message', '')).strip()[:300]}"
            message = _msg(
                lang, f"your file raised {text} while loading", f"加载你的文件时抛出 {text}"
            )
            if where[0]:
                message += f" — {where[0]}"
            return result("error", message, isolation=isolation, output=child.output)
        defined = set(hello.get("functions", []))
        missing = [f.name for f in exercise.meta.functions if f.name not in defined]
        if missing:
            names = ", ".join(f"{m}()" for m in missing)
            return result(
                "error",
                _msg(lang, f"your file does not define {names}", f"你的文件没有定义 {names}"),
                isolation=isolation,
                output=child.output,
            )
        plugin = GradingPlugin(child, exercise.reference_path, lang=lang, on_result=on_result)
        args = [
            str(exercise.suite_path),
            "-c",
            str(EMPTY_INI),
            "--rootdir",
            str(exercise.folder),
            "-p",
            "no:terminal",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-p",
            "no:xdist",
            "-p",
            "no:timeout",
            "-W",
            "ignore",
            *LEAN_PYTEST,
        ]
        sink = io.StringIO()
        # pytest collects garbage after every session; freezing first spares it walking torch's
        # and pytest's long-lived objects each time (measured: 0.44 s -> 0.25 s per re-check).
        gc.freeze()
        with (
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            _no_plugin_autoload(),
        ):
            try:
                code = pytest.main(args, plugins=[plugin])
            finally:
                _forget_suite_modules(exercise.folder)
        if plugin.collection_errors or (code not in (0, 1) and not plugin.collected):
            raise GradingError(
                _msg(
                    lang,
                    f"the hidden suite of {exercise.id} could not be loaded: "
                    "run 'kdquiz dev check' (content problem)",
                    f"{exercise.id} 的隐藏测试无法加载：请运行 'kdquiz dev check'（内容问题）",
                )
            )
        tests = plugin.ordered_results()
        if plugin.lost is not None and plugin.lost.reason == "timeout":
            status = "timeout"
        elif tests and all(t.status == "pass" for t in tests):
            status = "pass"
        elif plugin.lost is not None:
            status = "error"
        else:
            status = "fail"
        if not tests:
            status = "error"
        message = ""
        if plugin.lost is not None:
            message = next((t.message for t in tests if t.status != "pass"), "")
        return result(status, message, tests, isolation, child.output)
    finally:
        child.close()
