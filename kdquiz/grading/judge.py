"""Grading submissions: the trusted judge.

The judge holds the hidden suite and the reference and decides pass or fail from pytest's reports
in its own process. It never imports a submission: each one runs in a sandboxed child forked from
the warm worker (:class:`~kdquiz.grading.worker.WarmWorker`), and only plain data comes back. The verdict never
depends on the child's exit status, output or files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdquiz.core.content import LoadedExercise
from kdquiz.core.i18n import t
from kdquiz.core.status import Status
from kdquiz.grading.outcomes import SubmissionLost, safe_text
from kdquiz.grading.plugin import GradingPlugin, TestResult, fresh_seed

if TYPE_CHECKING:
    from kdquiz.grading.worker import SandboxedChild, WarmWorker

EMPTY_INI = Path(__file__).with_name("pytest.ini")


class GradingError(Exception):
    """The grading itself cannot run (exit status 2): unknown exercise, missing file, bad suite."""


@dataclass
class SubmissionResult:
    """The graded outcome of one submission (the JSON contract's submission object)."""

    path: str
    status: Status
    score: int
    max_score: int
    duration_s: float
    isolation: str
    tests: list[TestResult] = field(default_factory=list)
    message: str = ""
    output: str = ""
    sha256: str = ""
    """Hash of the submission's bytes, so a grade can be tied to exactly what was graded."""
    seed: int | None = None
    """The run seed every test's inputs were drawn from: ``grade --seed`` replays the grade."""

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # a plain string from a wire dict or a fixture

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "status": str(self.status),
            "score": self.score,
            "max_score": self.max_score,
            "duration_s": round(self.duration_s, 3),
            "isolation": self.isolation,
            "seed": self.seed,
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
    seed: int | None = None
    """The run seed (recorded in each result); None draws a fresh one per submission."""


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


def _last_error(report: object) -> str:
    """A traceback from the sandbox's setup, as one line: the error and where it was raised."""
    from kdquiz.grading.outcomes import where_and_error

    where, error = where_and_error(str(report))
    if not error:
        lines = [line.strip() for line in str(report).splitlines() if line.strip()]
        error = lines[-1] if lines else "?"
    return error[:500] + (f" ({Path(where).name})" if where else "")


MIN_TORCH = (2, 10)
"""The oldest torch kdquiz grades with: CVE-2025-32434 (<= 2.5.1) and CVE-2026-24747 (< 2.10) are
in the unpickler torch.load uses; the judge no longer unpickles replies (see
:mod:`kdquiz.grading.wire`), but the pin keeps a future change from reopening them."""

_PREPARED: list[bool] = []


def _prepare_judge(lang: str) -> None:
    """Once per process, before the first grading: refuse a vulnerable torch, use one thread for
    the judge's small tensors, and freeze what is alive (torch, pytest, the content) so pytest's
    garbage collections stop walking it.

    Freezing once, after a collection, is the point: freezing before every check would also
    freeze that check's garbage, which is then never freed (~1,300 objects per re-check)."""
    if _PREPARED:
        return
    from kdquiz.grading.torchload import load_torch

    torch = load_torch()

    check_torch_version(torch.__version__, lang)
    # The reference's tensors are small: one thread avoids oversubscribing the cores the
    # sandboxes use (measured by benchmarks/: a warm re-check 0.61 s -> 0.44 s).
    torch.set_num_threads(1)
    import pytest  # noqa: F401 - imported before the freeze, so its modules are frozen too

    from kdquiz.core import gcpolicy

    gcpolicy.freeze_once()
    _PREPARED.append(True)


def check_torch_version(version: str, lang: str) -> None:
    """Raise :class:`GradingError` for a torch older than :data:`MIN_TORCH`."""
    parts = []
    for piece in version.split("+")[0].split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    if tuple(parts) < MIN_TORCH:
        minimum = ".".join(map(str, MIN_TORCH))
        raise GradingError(t("grading.torch_too_old", lang, version=version, minimum=minimum))


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
    zygote: WarmWorker,
    options: GradeOptions,
    on_result: Callable[[TestResult], None] | None = None,
    shown_path: str | None = None,
) -> SubmissionResult:
    """Grade one file against the exercise's hidden suite.

    The steps: read and compile the file (no process for a syntax error), start its sandbox,
    read the sandbox's trusted setup status and the file's load report, run the hidden suite
    against it in this process, and decide the verdict from the suite's reports alone."""
    lang = options.lang
    source = _read_source(path, lang)
    seed = fresh_seed() if options.seed is None else options.seed
    outcome = _Outcome(
        shown_path or str(path),
        hashlib.sha256(source.encode()).hexdigest(),
        seed=seed,
        suite=exercise.suite_path,
    )
    problem = _compile_problem(source, lang)
    if problem is not None:
        return outcome.result(Status.ERROR, problem)
    _prepare_judge(lang)
    zygote.wait_ready()  # the warm worker's start-up (importing torch) is not the submission's time
    if _builds_optimizers(exercise):
        # Nor is what torch's first optimizer imports (builders.warm_up, ~1 s each side, once).
        with zygote.warming_up():
            from kdquiz.grading import builders

            builders.warm_up()
    outcome.restart_clock()
    timeout = options.timeout or exercise.meta.timeout
    config = _sandbox_config(exercise, path, source, options, timeout)
    child = zygote.spawn(config, time.monotonic() + timeout)
    try:
        early = _load(child, exercise, lang, outcome)
        if early is not None:
            return early
        plugin = _run_suite(exercise, child, lang, on_result, seed)
        status, message = _verdict(plugin)
        return outcome.result(status, message, plugin.ordered_results(), child.output)
    finally:
        child.close()


@dataclass
class _Outcome:
    """What every result of one grading shares: the file, its hash, the clock and isolation."""

    shown: str
    digest: str
    seed: int | None = None
    suite: Path | None = None
    """The hidden suite: a submission that did not load scores 0 of its points, not 0 of 0."""
    started: float = field(default_factory=time.monotonic)
    isolation: str = "none"

    def restart_clock(self) -> None:
        self.started = time.monotonic()

    def result(
        self,
        status: Status,
        message: str = "",
        tests: list[TestResult] | None = None,
        output: str = "",
    ) -> SubmissionResult:
        tests = tests or []
        duration = time.monotonic() - self.started  # not counting the collection below
        points = sum(t.weight for t in tests)
        if not tests and self.suite is not None:
            from kdquiz.grading.plugin import suite_points

            points = suite_points(self.suite) or 0
        return SubmissionResult(
            self.shown,
            status,
            sum(t.weight for t in tests if t.status == Status.PASS),
            points,
            duration,
            self.isolation,
            tests,
            safe_text(message, 1500),
            output,
            self.digest,
            self.seed,
        )


def _read_source(path: Path, lang: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GradingError(t("grading.file_missing", lang, path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GradingError(t("grading.file_unreadable", lang, path=path, error=exc)) from None


def _compile_problem(source: str, lang: str) -> str | None:
    """Compiling is not running: a syntax error is found without starting a process."""
    try:
        compile(source, "submission.py", "exec")
    except SyntaxError as exc:
        return t("grading.syntax_error", lang, line=exc.lineno, error=exc.msg)
    except ValueError as exc:
        return str(exc)
    return None


def _sandbox_config(
    exercise: LoadedExercise, path: Path, source: str, options: GradeOptions, timeout: float
) -> dict[str, Any]:
    """What the sandbox is told (plain JSON): the source, the isolation wanted, what to hide,
    and its limits."""
    return {
        "source": source,
        "isolation": options.isolation,
        "hidden": _plan(_hidden_paths(exercise, path)) if options.isolation != "basic" else {},
        "memory_mb": options.memory_mb,
        "cpu_seconds": int(timeout) + 2,
        "max_processes": 64,
    }


def _load(
    child: SandboxedChild, exercise: LoadedExercise, lang: str, outcome: _Outcome
) -> SubmissionResult | None:
    """Read the sandbox's setup status (trusted: written before the file was loaded, on a pipe
    the file never holds), then the file's own load report (untrusted: only its function names
    and load error are used). A result when grading ends here, else None."""
    try:
        status = child.setup_status()
        if "unavailable" in status:
            raise GradingError(
                t("grading.strict_unavailable", lang, reason=str(status["unavailable"])[:500])
            )
        if "fatal" in status:
            raise GradingError(t("grading.setup_failed", lang, detail=_last_error(status["fatal"])))
        outcome.isolation = str(status.get("isolation", "none"))
        hello = child.hello()
    except SubmissionLost as exc:  # died or hung while being set up or loaded
        if exc.reason == "timeout":
            return outcome.result(
                Status.TIMEOUT, t("grading.load_timeout", lang), output=child.output
            )
        return outcome.result(Status.ERROR, t("grading.load_crashed", lang), output=child.output)
    if not hello.get("ok"):
        error = hello.get("load_error")
        error = error if isinstance(error, dict) else {}
        where = str(error.get("traceback", "")).splitlines()[-1:] or [""]
        text = f"{error.get('type')}: {str(error.get('message', '')).strip()[:300]}"
        message = t("grading.load_raised", lang, error=text)
        if where[0]:
            message += f" — {where[0]}"
        return outcome.result(Status.ERROR, message, output=child.output)
    functions = hello.get("functions")
    defined = {str(f) for f in functions} if isinstance(functions, list) else set()
    missing = [f.name for f in exercise.meta.functions if f.name not in defined]
    if missing:
        names = ", ".join(f"{m}()" for m in missing)
        return outcome.result(
            Status.ERROR, t("grading.missing_functions", lang, names=names), output=child.output
        )
    return None


def _run_suite(
    exercise: LoadedExercise,
    child: SandboxedChild,
    lang: str,
    on_result: Callable[[TestResult], None] | None,
    seed: int,
) -> GradingPlugin:
    """Run the hidden suite in this process against the sandboxed child, its inputs drawn from
    ``seed``; its reports are in the returned plugin."""
    import pytest

    plugin = GradingPlugin(
        child, exercise.reference_path, lang=lang, on_result=on_result, seed=seed
    )
    args = [
        str(exercise.suite_path),
        *("-c", str(EMPTY_INI), "--rootdir", str(exercise.folder)),
        *("-p", "no:terminal", "-p", "no:cacheprovider", "-p", "no:randomly"),
        *("-p", "no:xdist", "-p", "no:timeout", "-W", "ignore"),
        *LEAN_PYTEST,
    ]
    sink = io.StringIO()
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
        raise GradingError(plugin.collection_problem(exercise.id, sink.getvalue()))
    return plugin


def _verdict(plugin: GradingPlugin) -> tuple[Status, str]:
    """The submission's status from the suite's reports alone (never from the child's exit
    status, output or files), and the message of a lost child."""
    tests = plugin.ordered_results()
    if plugin.lost is not None and plugin.lost.reason == "timeout":
        status = Status.TIMEOUT
    elif tests and all(t.status == Status.PASS for t in tests):
        status = Status.PASS
    elif plugin.lost is not None:
        status = Status.ERROR
    else:
        status = Status.FAIL
    if not tests:
        status = Status.ERROR
    message = ""
    if plugin.lost is not None:
        message = next((t.message for t in tests if t.status != Status.PASS), "")
    return status, message
