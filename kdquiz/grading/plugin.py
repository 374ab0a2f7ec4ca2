"""The pytest plugin through which the judge runs a hidden suite against one submission.

It provides the fixtures a hidden test receives (``submission``, ``reference``, ``seeds``) and
turns pytest's reports into :class:`TestResult` records, in the suite's order, with messages that
are safe to show: a :class:`~kdquiz.grading.outcomes.Feedback` message, the submission's own
exception, or a generic line — never the hidden test's code or its expected values (pytest runs
with ``--tb=no`` and its terminal reporter off).

For authors, the plugin also runs from the command line without a sandbox::

    python -m pytest exercises/kd_loss/test_hidden.py -p kdquiz.grading.plugin \\
        --kdquiz-submission solutions/kd_loss/reference.py
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kdquiz.core.i18n import t
from kdquiz.core.status import Status
from kdquiz.grading.outcomes import (
    ERROR_LINE,
    Feedback,
    SubmissionLost,
    SubmissionRaised,
    safe_text,
    where_and_error,
)
from kdquiz.grading.proxy import Submission, Transport

SEEDS_PER_TEST = 4


def fresh_seed() -> int:
    """An unpredictable seed for one grading run (recorded in every result it produces)."""
    return secrets.randbits(31)


def seeds_for_test(run_seed: int, test_id: str, count: int = SEEDS_PER_TEST) -> list[int]:
    """The seeds a hidden test receives: derived from the run's seed and the test's id (its
    pytest node id, relative to the exercise folder), so replaying a run's seed replays every
    test's inputs exactly while different tests still see independent draws. This is the one
    place where a hidden suite's randomness comes from."""
    digest = hashlib.sha256(f"{run_seed}:{test_id}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    return [rng.getrandbits(31) for _ in range(count)]


@dataclass
class TestResult:
    """One hidden test's outcome, as reported to the learner."""

    name: str
    status: Status  # pass | fail | error (never timeout: a test cut short is an error)
    message: str = ""
    misconception: str = field(default="", compare=False)
    """The advice of the test's feedback marker (for instructors' cohort reports; not in JSON)."""
    weight: int = 1
    """Points the test is worth (``@pytest.mark.weight(N)``; 1 by default)."""
    picture: dict[str, Any] | None = field(default=None, compare=False)
    """The failing check's picture (kdquiz.grading.picture), where the suite gives one."""

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # a plain string from a wire dict or a fixture

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "status": str(self.status),
            "message": self.message,
        }
        if self.weight != 1:
            data["weight"] = self.weight
        if self.picture is not None:
            data["picture"] = self.picture
        return data


def weight_of(item: pytest.Item) -> int:
    """The points of a hidden test: its ``weight`` marker's positive integer, else 1."""
    marker = item.get_closest_marker("weight")
    if marker is None:
        return 1
    value = marker.args[0] if marker.args else marker.kwargs.get("points", 1)
    if type(value) is not int or value < 1:
        raise pytest.UsageError(f"{item.nodeid}: weight must be a positive integer, not {value!r}")
    return value


def _describe_lost(exc: SubmissionLost, lang: str) -> str:
    if exc.reason == "timeout":
        return t("grading.lost_timeout", lang)
    if exc.reason == "memory":
        return t("grading.lost_memory", lang)
    if exc.reason == "missing":
        return t("grading.lost_missing", lang, name=exc.detail)
    if exc.reason == "load":
        return exc.detail
    return t("grading.lost_crashed", lang, detail=f" ({exc.detail})" if exc.detail else "")


def _describe_raised(exc: SubmissionRaised, lang: str) -> str:
    if exc.type_name == "NotImplementedError":  # the starter's own placeholder, in any language
        last = exc.traceback.splitlines()[-1] if exc.traceback else ""
        found = re.match(r"line (\d+), in (\w+)", last)
        where = t("grading.where", lang, line=found[1], function=found[2]) if found else last
        return t("grading.not_implemented", lang, where=where)
    where = f" — {exc.traceback.splitlines()[-1]}" if exc.traceback else ""
    message = exc.message.strip().splitlines()[0][:300] if exc.message.strip() else ""
    text = f"{exc.type_name}: {message}" if message else exc.type_name
    return t("grading.raised", lang, error=text, where=where)


def _test_title(item: pytest.Item, lang: str = "en") -> str:
    """The learner-facing name of a test: its docstring's first line, or in Chinese a line of the
    docstring that starts with ``zh:`` (else the English one); the function name as a fallback."""
    callspec = getattr(item, "callspec", None)
    suffix = f" [{callspec.id}]" if callspec is not None else ""
    return _base_title(item, lang) + suffix


def _base_title(item: pytest.Item, lang: str) -> str:
    func = getattr(item, "function", None)
    doc = (getattr(func, "__doc__", None) or "").strip()
    if not doc:
        return (
            item.originalname.removeprefix("test_").replace("_", " ")
            if hasattr(item, "originalname")
            else item.name
        )
    lines = [line.strip() for line in doc.splitlines()]
    if lang == "zh":
        for line in lines:
            if line.startswith(("zh:", "zh：")):
                return line[3:].strip().rstrip("。.")
    return lines[0].rstrip(".")


class GradingPlugin:
    """Fixtures and report collection for one run of a hidden suite."""

    def __init__(
        self,
        transport: Transport | None,
        reference_path: Path | None,
        lang: str = "en",
        on_result: Callable[[TestResult], None] | None = None,
        seed: int | None = None,
    ) -> None:
        self.transport = transport
        self.seed = fresh_seed() if seed is None else seed
        """The run's seed: every test's ``seeds`` and global RNG state derive from it."""
        self.reference_path = reference_path
        self.lang = lang
        self.on_result = on_result
        self.results: list[TestResult] = []
        self.collected: list[str] = []
        self.collection_errors: list[str] = []
        self.collection_details: list[str] = []
        self._weights: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self._pictures: dict[str, dict[str, Any]] = {}
        self._messages: dict[str, tuple[Status, str]] = {}
        self._advice: dict[str, str] = {}
        self._by_node: dict[str, TestResult] = {}
        self._reference: Any = None
        self.lost: SubmissionLost | None = None

    # Options for the authoring mode -------------------------------------------------------
    def pytest_addoption(self, parser: pytest.Parser) -> None:  # pragma: no cover - authoring
        pass

    # Fixtures ---------------------------------------------------------------------------
    @pytest.fixture
    def submission(self) -> Submission:
        """The learner's code, running in its sandbox."""
        if self.transport is None:
            raise RuntimeError("no submission given")
        return Submission(self.transport)

    @pytest.fixture
    def reference(self) -> Any:
        """The reference solution, imported in the judge."""
        if self._reference is None:
            if self.reference_path is None:
                raise RuntimeError("no reference given")
            self._reference = import_file(self.reference_path, "_kdquiz_reference")
        return self._reference

    @pytest.fixture
    def seeds(self, request: pytest.FixtureRequest) -> list[int]:
        """Seeds for this test's random inputs: unpredictable (the run's seed is drawn fresh)
        and replayable (the same run seed gives the same seeds, see :func:`seeds_for_test`)."""
        return seeds_for_test(self.seed, request.node.nodeid)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        # A suite that draws from the global generators (torch.randn without a generator) is
        # replayable too: they are reseeded from the run's seed before every test.
        import torch

        global_seed = seeds_for_test(self.seed, item.nodeid + "#global", 1)[0]
        torch.manual_seed(global_seed)
        random.seed(global_seed)

    # Collection and reports ---------------------------------------------------------------
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.collected.append(item.nodeid)
            self._titles[item.nodeid] = _test_title(item, self.lang)
            self._weights[item.nodeid] = weight_of(item)
            marker = item.get_closest_marker("feedback")
            if marker is not None:
                self._advice[item.nodeid] = str(
                    marker.kwargs.get("zh" if self.lang == "zh" else "en", "")
                )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(report.nodeid)
            self.collection_details.append(report.longreprtext)

    def collection_problem(self, exercise_id: str, output: str = "") -> str:
        """Why the suite did not load, for the instructor: the file, line and error (a syntax
        or import error in the hidden suite), without the traceback; or the error that stopped
        pytest itself before it collected anything (in ``output``, e.g. a conftest.py above the
        suite that pytest refuses)."""
        from kdquiz.core.i18n import t

        where, error = where_and_error("\n".join(self.collection_details))
        if not error:
            stopped = [
                line.removeprefix("INTERNALERROR>").strip()
                for line in output.splitlines()
                if line.startswith("INTERNALERROR>")
            ]
            error = next((line for line in reversed(stopped) if ERROR_LINE.match(line)), "")
            where = "pytest"
        if not error:
            return t("suite.not_loaded", self.lang, id=exercise_id)
        return t("suite.broken", self.lang, id=exercise_id, where=where, error=error)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
        outcome = yield
        report = outcome.get_result()
        if call.excinfo is None or report.passed:
            return
        exc = call.excinfo.value
        marker = item.get_closest_marker("feedback")
        self._messages[item.nodeid] = self._message_for(exc, marker, report.when)
        if isinstance(exc, Feedback) and exc.picture is not None:
            self._pictures[item.nodeid] = exc.picture

    def _message_for(self, exc: BaseException, marker: Any, when: str) -> tuple[Status, str]:
        lang = self.lang
        status = Status.FAIL
        if isinstance(exc, Feedback):
            text = exc.text(lang)
            if marker is not None and exc.kind not in ("type", "shape", "dtype", "mutation"):
                why = marker.kwargs.get("zh" if lang == "zh" else "en")
                hint = marker.kwargs.get("hint")
                if why:
                    text += f" — {why}"
                if hint:
                    text += t("grading.see_hint", lang, hint=hint)
        elif isinstance(exc, SubmissionRaised):
            text = _describe_raised(exc, lang)
            status = Status.ERROR
        elif isinstance(exc, SubmissionLost):
            self.lost = exc
            text = _describe_lost(exc, lang)
            status = Status.ERROR
        elif isinstance(exc, pytest.skip.Exception):
            text = t("grading.skipped", lang)
        elif when != "call":
            text = t("grading.test_setup_error", lang)
            status = Status.ERROR
        else:
            text = t("grading.hidden_check_failed", lang, name=type(exc).__name__)
        return status, safe_text(text)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        nodeid = report.nodeid
        advice = self._advice.get(nodeid, "")
        if report.when == "call" and report.passed:
            self._record(
                nodeid,
                TestResult(self._titles.get(nodeid, nodeid), Status.PASS, misconception=advice),
            )
        elif report.failed or report.skipped:
            earlier = self._by_node.get(nodeid)
            if earlier is not None and earlier.status != Status.PASS:
                return  # a teardown error after a failure: already recorded
            status, message = self._messages.get(nodeid, (Status.FAIL, ""))
            if report.skipped and not message:
                status, message = Status.FAIL, t("grading.skipped", self.lang)
            result = TestResult(self._titles.get(nodeid, nodeid), status, message, advice)
            result.picture = self._pictures.get(nodeid)
            self._record(nodeid, result)

    def _record(self, nodeid: str, result: TestResult) -> None:
        # Keyed by node id, never by title: two tests (or parametrized cases) with one title must
        # not let a pass hide a failure.
        result.weight = self._weights.get(nodeid, 1)
        self._by_node[nodeid] = result
        self.results.append(result)
        if self.on_result is not None:
            self.on_result(result)

    def ordered_results(self) -> list[TestResult]:
        """Results in suite order; a collected test with no report counts as a failure."""
        ordered: list[TestResult] = []
        for nodeid in self.collected:
            title = self._titles[nodeid]
            ordered.append(
                self._by_node.get(
                    nodeid,
                    TestResult(
                        title,
                        Status.FAIL,
                        t("grading.did_not_finish", self.lang),
                        weight=self._weights.get(nodeid, 1),
                    ),
                )
            )
        return ordered


def import_file(path: Path, name: str) -> Any:
    """Import a Python file under a unique module name (judge side: reference solutions)."""
    unique = f"{name}_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return module


# Authoring mode: `-p kdquiz.grading.plugin --kdquiz-submission FILE` (in-process, NOT sandboxed).
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--kdquiz-submission", help="run the hidden suite in this file against FILE (no sandbox)"
    )
    parser.addoption(
        "--kdquiz-reference", help="reference solution (default: solutions/<id>/reference.py)"
    )
    parser.addoption("--kdquiz-lang", default="en")
    parser.addoption("--kdquiz-seed", type=int, help="replay a grading run's seed")


def pytest_configure(config: pytest.Config) -> None:
    _register_marker(config)
    path = config.getoption("--kdquiz-submission", default=None)
    if not path:
        return
    from kdquiz.grading.proxy import LocalTransport

    reference = config.getoption("--kdquiz-reference")
    if reference is None:
        args = [Path(a) for a in config.args if a.endswith(".py")]
        if args:
            ex_dir = args[0].resolve().parent
            reference = ex_dir.parent.parent / "solutions" / ex_dir.name / "reference.py"
    plugin = GradingPlugin(
        LocalTransport(Path(path)),
        Path(reference) if reference else None,
        lang=config.getoption("--kdquiz-lang"),
        seed=config.getoption("--kdquiz-seed"),
    )
    config.pluginmanager.register(plugin, "kdquiz-authoring")


def _register_marker(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "feedback(en, zh, hint): learner-facing advice when this test fails"
    )
    config.addinivalue_line("markers", "weight(points): what this test is worth (default 1)")


GradingPlugin.pytest_configure = staticmethod(_register_marker)  # type: ignore[attr-defined]


class _Collector:
    """Collects a suite's tests (titles and weights) without running them."""

    def __init__(self) -> None:
        self.weights: dict[str, int] = {}
        self.errors: list[str] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.weights[_test_title(item)] = weight_of(item)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(report.longreprtext)


_SUITE_POINTS: dict[tuple[str, float], int] = {}


def suite_points(suite_path: Path) -> int | None:
    """The points a hidden suite is worth (the sum of its tests' weights), found by collecting
    it in this process without running anything; None when it does not collect. For the score
    of a submission that did not load: 0 out of this, not 0 out of 0."""
    import contextlib
    import io
    import os

    key = (str(suite_path), suite_path.stat().st_mtime)
    if key in _SUITE_POINTS:
        return _SUITE_POINTS[key]
    collector = _Collector()
    ini = Path(__file__).with_name("pytest.ini")
    args = [str(suite_path), "--collect-only", "-c", str(ini), "--rootdir", str(suite_path.parent)]
    args += ["-p", "no:terminal", "-p", "no:cacheprovider", "-W", "ignore"]
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pytest.main(args, plugins=[collector])
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
        folder = str(suite_path.parent)
        for name, module in list(sys.modules.items()):
            if (getattr(module, "__file__", None) or "").startswith(folder):
                del sys.modules[name]
    if collector.errors or not collector.weights:
        return None
    _SUITE_POINTS[key] = sum(collector.weights.values())
    return _SUITE_POINTS[key]
