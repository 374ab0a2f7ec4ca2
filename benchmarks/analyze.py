"""Where the time goes: profiles behind the analysis in docs/performance.md.

    python benchmarks/analyze.py help       # cProfile + -X importtime of `kdquiz --help`
    python benchmarks/analyze.py grade      # cProfile of a cold `kdquiz grade kd_loss FILE`
    python benchmarks/analyze.py recheck    # cProfile of 4 warm gradings (GradingService path)
    python benchmarks/analyze.py load [N]   # load_content split into its stages, N questions
    python benchmarks/analyze.py tui        # cProfile of App() → HomeScreen title (headless)
    python benchmarks/analyze.py threads    # a tiny torch op after idling, 2 threads vs 1

Each command runs in a fresh interpreter with KDQUIZ_HOME in a temporary directory.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
# Byte-code as an installed wheel has it (see run.py): a private, reusable cache outside the repo.
PYCACHE = Path(tempfile.gettempdir()) / "kdquiz-bench-pycache"
sys.pycache_prefix = str(PYCACHE)
sys.dont_write_bytecode = False
os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ.setdefault("KDQUIZ_HOME", tempfile.mkdtemp(prefix="kdquiz-analyze-"))
os.environ.setdefault("KDQUIZ_WORKSPACE", tempfile.mkdtemp(prefix="kdquiz-analyze-ws-"))

REFERENCE = REPO / "solutions" / "kd_loss" / "reference.py"


def show(profile: cProfile.Profile, sort: str, count: int, strip: bool = True) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    if strip:
        stats.strip_dirs()
    stats.sort_stats(sort).print_stats(count)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join(lines[start:]))


def importtime(cmd: list[str], count: int = 12) -> None:
    """Top-level imports of a command by cumulative import time."""
    env = {**os.environ}
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True, env=env
    )
    rows = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        try:
            cumulative = int(parts[1])
        except ValueError:
            continue
        name = parts[2]
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:
            rows.append((cumulative / 1000, "  " * (depth - 0) + name.strip()))
    print(f"-X importtime, top-level imports of: {' '.join(cmd)}")
    for ms, name in sorted(rows, reverse=True)[:count]:
        print(f"  {ms:8.1f} ms  {name}")


def cmd_help() -> None:
    importtime([str(Path(sys.executable).parent / "kdquiz"), "--help"])
    sys.argv = ["kdquiz", "--help"]
    profile = cProfile.Profile()
    profile.enable()
    try:
        from kdquiz.cli.app import run

        run()
    except SystemExit:
        pass
    profile.disable()
    sys.stdout = sys.__stdout__
    show(profile, "cumtime", 25)


def cmd_grade() -> None:
    sub = Path(tempfile.mkdtemp()) / "submission.py"
    sub.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    from kdquiz.grading import worker

    original_wait = worker.Zygote.wait_ready

    def wait_ready(self: Any, timeout: float = 60.0) -> None:
        if not self._ready:
            marks.setdefault("judge starts waiting for the zygote", time.perf_counter() - t0)
        original_wait(self, timeout)
        marks.setdefault("zygote ready (torch imported there)", time.perf_counter() - t0)

    worker.Zygote.wait_ready = wait_ready  # type: ignore[method-assign]
    import pytest

    original_main = pytest.main

    def main(*a: Any, **k: Any) -> Any:
        marks.setdefault("first pytest session starts", time.perf_counter() - t0)
        before = "torch" in sys.modules
        result = original_main(*a, **k)
        if not before:
            marks["judge imported torch during that session (collection)"] = 1.0
        marks.setdefault("first pytest session ends", time.perf_counter() - t0)
        return result

    pytest.main = main  # type: ignore[assignment]
    sys.argv = ["kdquiz", "grade", "kd_loss", str(sub), "--format", "json"]
    profile = cProfile.Profile()
    profile.enable()
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()
    try:
        from kdquiz.cli.app import run

        run()
    except SystemExit:
        pass
    finally:
        sys.stdout = real_stdout
    profile.disable()
    marks["process exits"] = time.perf_counter() - t0
    print("Timeline of a cold `kdquiz grade` (seconds from the start of the CLI, under cProfile):")
    for name, when in marks.items():
        print(f"  {when:7.3f}  {name}" if when != 1.0 else f"      yes  {name}")
    show(profile, "cumtime", 40)
    show(profile, "tottime", 20)


def cmd_recheck() -> None:
    from kdquiz.core import locations
    from kdquiz.core.content import load_content
    from kdquiz.grading.service import GradingService

    exercise = load_content(locations.content_root()).exercises["kd_loss"]
    service = GradingService()
    service.check(exercise, REFERENCE, "en", lambda r: None)
    import gc

    t = time.perf_counter()
    gc.collect()
    print(f"one full gc.collect() in the judge after a grading: {time.perf_counter() - t:.3f} s")
    print(f"objects tracked by the gc: {len(gc.get_objects())}")
    import torch

    print(f"judge torch.get_num_threads() = {torch.get_num_threads()}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(4):
        service.check(exercise, REFERENCE, "en", lambda r: None)
    profile.disable()
    service.close()
    show(profile, "tottime", 25)
    show(profile, "cumtime", 30)


def cmd_load(count: int) -> None:
    import bank

    root = Path(tempfile.mkdtemp()) / "bank"
    files = bank.generate(root, count)
    import yaml

    from kdquiz.core import content as content_mod
    from kdquiz.core.content import load_content
    from kdquiz.core.models import TopicFile
    from kdquiz.core.yamlsrc import _walk, load_yaml

    load_content(root)  # warm imports and caches
    topic_paths = content_mod.question_files(root)
    texts = [p.read_text(encoding="utf-8") for p in topic_paths]
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def clock(fn: Any) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    def compose_only() -> None:
        for text in texts:
            loader = loader_cls(text)
            loader.get_single_node()
            loader.dispose()

    nodes_data: list[tuple[Any, Any]] = []

    def compose_construct() -> None:
        nodes_data.clear()
        for text in texts:
            loader = loader_cls(text)
            node = loader.get_single_node()
            data = loader.construct_document(node)
            loader.dispose()
            nodes_data.append((node, data))

    def walk() -> None:
        from kdquiz.core.yamlsrc import SourceMap

        for node, _ in nodes_data:
            _walk(node, (), SourceMap())

    def load_yaml_all() -> None:
        for text in texts:
            load_yaml(text)

    def validate() -> None:
        for _, data in nodes_data:
            TopicFile.model_validate(data)

    def full() -> None:
        load_content(root)

    stages = [
        ("read files", lambda: [p.read_text(encoding="utf-8") for p in topic_paths]),
        ("YAML compose only (C parser → nodes)", compose_only),
        ("YAML compose + construct (what load_yaml parses)", compose_construct),
        ("source map _walk over the nodes", walk),
        ("load_yaml (compose + construct + walk)", load_yaml_all),
        ("pydantic TopicFile.model_validate", validate),
        ("whole load_content", full),
    ]
    import gc

    print(f"{count} questions in {files} topic files (+ bibliography, exercises)")
    print("Stages alone, with the garbage collector off (their own cost):")
    print(f"  {'stage':<52} {'wall':>8} {'CPU':>8}")
    gc.disable()
    for name, fn in stages:
        wall, cpu = clock(fn)
        print(f"  {name:<52} {wall:8.3f} {cpu:8.3f}")
    gc.enable()
    nodes_data.clear()
    print("The whole load_content, garbage collector as configured:")
    for label, setup in (
        ("gc on (CPython default thresholds)", lambda: gc.set_threshold(700, 10, 10)),
        ("gc off during the load", gc.disable),
        ("gc on, gen0 threshold 50,000", lambda: gc.set_threshold(50_000, 10, 10)),
    ):
        gc.enable()
        gc.collect()
        setup()
        wall, cpu = clock(full)
        gc.enable()
        gc.set_threshold(700, 10, 10)
        print(f"  {label:<52} {wall:8.3f} {cpu:8.3f}")
    profile = cProfile.Profile()
    profile.enable()
    load_content(root)
    profile.disable()
    show(profile, "tottime", 20)


def cmd_tui() -> None:
    import asyncio

    t0 = time.perf_counter()
    from kdquiz.tui.app import KdquizApp
    from kdquiz.tui.screens.home import HomeScreen

    print(f"import kdquiz.tui.app: {time.perf_counter() - t0:.3f} s")
    importtime(["-c", "import kdquiz.tui.app"], 8)

    async def once() -> float:
        start = time.perf_counter()
        app = KdquizApp(lang="en")
        async with app.run_test(size=(100, 30)):
            while not (isinstance(app.screen, HomeScreen) and app.screen.is_mounted):
                await asyncio.sleep(0.002)
            return time.perf_counter() - start

    profile = cProfile.Profile()
    profile.enable()
    took = asyncio.run(once())
    profile.disable()
    print(f"App() → HomeScreen mounted: {took:.3f} s (under cProfile)")
    show(profile, "cumtime", 35)


def cmd_threads() -> None:
    """A tiny torch op after a short idle gap, with 2 intra-op threads (the judge's default on
    this machine) and with 1 (the zygote's setting): the gap is what the judge sees between two
    calls into the sandbox."""
    code = (
        "import sys, time, statistics, torch, torch.nn.functional as F\n"
        "torch.set_num_threads(int(sys.argv[1])); x = torch.randn(16, 10); ts = []\n"
        "for _ in range(60):\n"
        "    time.sleep(0.01); t = time.perf_counter(); F.softmax(x / 4, dim=-1)\n"
        "    ts.append(time.perf_counter() - t)\n"
        "print(f'{statistics.median(ts) * 1e3:.3f} ms median, {max(ts) * 1e3:.1f} ms max')"
    )
    print(f"load average {os.getloadavg()[0]:.1f}; softmax of 16×10 after 10 ms idle:")
    for threads in ("2", "1"):
        run = subprocess.run([sys.executable, "-c", code, threads], capture_output=True, text=True)
        print(f"  torch threads={threads}: {run.stdout.strip() or run.stderr.strip()[-200:]}")


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "help"
    if what == "help":
        cmd_help()
    elif what == "grade":
        cmd_grade()
    elif what == "recheck":
        cmd_recheck()
    elif what == "load":
        cmd_load(int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
    elif what == "tui":
        cmd_tui()
    elif what == "threads":
        cmd_threads()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
