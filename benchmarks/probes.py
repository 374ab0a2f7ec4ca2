"""Measurements that run inside a fresh Python process, started by ``run.py``.

Each probe prints one line ``RESULT {json}`` at the end. Running them in their own process keeps
the benchmark runner free of torch, Textual and the experiments' global changes.

    python benchmarks/probes.py recheck --reps 8 --pass-file REF --fail-file MUTANT --workdir D
    python benchmarks/probes.py load DIR --reps 3
    python benchmarks/probes.py tui --reps 3
    python benchmarks/probes.py memory --file REF
    python benchmarks/probes.py whatif --reps 4 --file REF
    python benchmarks/probes.py cli [--early-torch] [--threads1] [--gc-freeze] [--fork-zygote] -- grade ...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

PROCESS_START = time.time()  # as early as this module allows
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bank  # noqa: E402
import proctree  # noqa: E402

MB = 1024 * 1024


def emit(data: dict[str, Any]) -> None:
    sys.stdout.write("RESULT " + json.dumps(data) + "\n")
    sys.stdout.flush()


def _exercise(exercise_id: str) -> Any:
    from kdquiz.core import locations
    from kdquiz.core.content import load_content

    return load_content(locations.content_root()).exercises[exercise_id]


def _self_mem() -> dict[str, float]:
    roll = proctree.rollup(os.getpid())
    return {
        "rss_mb": round(roll["Rss"] / MB, 1),
        "pss_mb": round(roll["Pss"] / MB, 1),
        "hwm_mb": round(proctree.status_kb(os.getpid(), "VmHWM") / 1024, 1),
    }


def _pid_mem(pid: int) -> dict[str, float]:
    roll = proctree.rollup(pid)
    return {
        "rss_mb": round(roll["Rss"] / MB, 1),
        "pss_mb": round(roll["Pss"] / MB, 1),
        "private_mb": round(roll["Private"] / MB, 1),
        "hwm_mb": round(proctree.status_kb(pid, "VmHWM") / 1024, 1),
    }


# --- re-check after a save, with a warm worker (what the TUI does) -----------------------------


def probe_recheck(args: argparse.Namespace) -> None:
    """Time from writing the file to the graded result, through the TUI's GradingService."""
    started = time.perf_counter()
    from kdquiz.grading.service import GradingService

    exercise = _exercise(args.exercise)
    sources = {
        "pass": Path(args.pass_file).read_text(encoding="utf-8"),
        "fail": Path(args.fail_file).read_text(encoding="utf-8"),
    }
    path = Path(args.workdir) / f"{args.exercise}.py"
    service = GradingService()

    def save(kind: str, index: int) -> None:
        with open(path, "w", encoding="utf-8") as handle:  # in place, as most editors do
            handle.write(sources[kind] + f"\n# save {index}\n")

    first: list[float] = []

    def on_test(_result: Any) -> None:
        if not first:
            first.append(time.perf_counter())

    save("pass", 0)
    result = service.check(exercise, path, "en", on_test)
    warm_s = time.perf_counter() - started
    samples = []
    for index in range(args.reps):
        kind = "pass" if index % 2 == 0 else "fail"
        first.clear()
        t0 = time.perf_counter()
        save(kind, index + 1)
        result = service.check(exercise, path, "en", on_test)
        done = time.perf_counter()
        samples.append(
            {
                "kind": kind,
                "wall": done - t0,
                "first_test": (first[0] - t0) if first else None,
                "status": result.status,
                "ok": (result.status == "pass") == (kind == "pass"),
                "isolation": result.isolation,
            }
        )
        time.sleep(0.2)  # a learner does not save twice within a grading
    memory = {"judge": _self_mem(), "zygote": _pid_mem(service._zygote.process.pid)}
    service.close()
    emit({"warmup_s": warm_s, "samples": samples, "memory": memory})


# --- loading and validating content in-process --------------------------------------------------


def probe_load(args: argparse.Namespace) -> None:
    """Load a tree ``--reps`` times with the cache ``cold`` (a fresh data directory each time:
    nothing cached, the cache is written), ``warm`` (primed first, nothing changed) or ``edit``
    (primed first, one question file edited before each load)."""
    import tempfile

    t0 = time.perf_counter()
    from kdquiz.core.content import load_content

    import_s = time.perf_counter() - t0
    root = Path(args.root)
    samples = []
    content = None
    if args.cache != "cold":
        load_content(root)  # prime the cache, not counted
    for _ in range(args.reps):
        if args.cache == "cold":
            os.environ["KDQUIZ_HOME"] = tempfile.mkdtemp(prefix="kdquiz-cold-")
        elif args.cache == "edit":
            bank.touch_one_file(root)
        w0, c0 = time.perf_counter(), time.process_time()
        content = load_content(root)
        samples.append({"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0})
    assert content is not None
    emit(
        {
            "import_s": import_s,
            "samples": samples,
            "questions": len(content.questions),
            "errors": len(content.errors),
            "warnings": len(content.warnings),
            "first_error": str(content.errors[0]) if content.errors else "",
        }
    )


# --- the TUI headless: App() to HomeScreen mounted ----------------------------------------------


async def _tui_once(app_cls: Any, home_cls: Any, title: str, loading: str) -> dict[str, float]:
    import asyncio

    t0 = time.perf_counter()
    app = app_cls(lang="en")
    marks: dict[str, float] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            screen = app.screen
            if isinstance(screen, home_cls) and screen.is_mounted:
                marks.setdefault("home_mounted", time.perf_counter() - t0)
                try:
                    shown_title = str(screen.query_one("#home-title").content)
                    due = str(screen.query_one("#home-due").content)
                except Exception:  # noqa: BLE001 - not composed yet
                    shown_title, due = "", ""
                if shown_title == title and "title_shown" not in marks:
                    marks["title_shown"] = time.perf_counter() - t0
                    marks["title_epoch"] = time.time()
                if app.content is not None:
                    marks.setdefault("content_loaded", time.perf_counter() - t0)
                if due and due != loading and app.content is not None:
                    marks.setdefault("stats_shown", time.perf_counter() - t0)
                    break
            await asyncio.sleep(0.002)
        await pilot.pause()
    marks["wall_in_app"] = time.perf_counter() - t0
    return marks


def probe_tui(args: argparse.Namespace) -> None:
    import asyncio

    t0 = time.perf_counter()
    from kdquiz.tui.app import KdquizApp
    from kdquiz.tui.screens.home import HomeScreen

    import_s = time.perf_counter() - t0
    from kdquiz.core.i18n import t

    title, loading = t("tui.home.title", "en"), t("tui.home.loading", "en")
    runs = []
    for _ in range(args.reps):
        runs.append(asyncio.run(_tui_once(KdquizApp, HomeScreen, title, loading)))
    emit({"import_s": import_s, "runs": runs, "module_start_epoch": PROCESS_START})


# --- memory of the warm worker and of one sandbox ---------------------------------------------


def probe_memory(args: argparse.Namespace) -> None:
    import threading

    from kdquiz.grading.judge import GradeOptions, grade_submission
    from kdquiz.grading.worker import Zygote

    exercise = _exercise(args.exercise)
    before = _self_mem()
    zygote = Zygote()
    zygote.wait_ready()
    time.sleep(0.3)
    warm = _pid_mem(zygote.process.pid)
    # Peak of the sandbox children while a submission is graded (sampled every 5 ms).
    peaks = {"rss": 0, "pss": 0, "private": 0}
    stop = threading.Event()

    def sample() -> None:
        tick = 0
        while not stop.is_set():
            kids = [p for p in proctree.descendants(zygote.process.pid) if p != zygote.process.pid]
            if kids:
                peaks["rss"] = max(peaks["rss"], max(proctree.rss_bytes(p) for p in kids))
                if tick % 4 == 0:
                    rolls = [proctree.rollup(p) for p in kids]
                    peaks["pss"] = max(peaks["pss"], sum(r["Pss"] for r in rolls))
                    peaks["private"] = max(peaks["private"], sum(r["Private"] for r in rolls))
            tick += 1
            stop.wait(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    results = [
        grade_submission(exercise, Path(args.file), zygote, GradeOptions()) for _ in range(3)
    ]
    stop.set()
    thread.join()
    after_zygote = _pid_mem(zygote.process.pid)
    judge = _self_mem()
    zygote.close()
    emit(
        {
            "judge_before_mb": before,
            "judge_after_grading": judge,
            "zygote_warm": warm,
            "zygote_after_3": after_zygote,
            "sandbox_peak_rss_mb": round(peaks["rss"] / MB, 1),
            "sandbox_peak_pss_mb": round(peaks["pss"] / MB, 1),
            "sandbox_peak_private_mb": round(peaks["private"] / MB, 1),
            "statuses": [r.status for r in results],
            "isolation": results[-1].isolation,
        }
    )


# --- what-if: judge-side changes that do not touch kdquiz's code -------------------------------

LEAN_PYTEST = [
    "-p",
    "no:logging",
    "-p",
    "no:unraisableexception",
    "-p",
    "no:threadexception",
    "-p",
    "no:faulthandler",
    "-p",
    "no:junitxml",
    "-p",
    "no:doctest",
    "-p",
    "no:pastebin",
    "-p",
    "no:stepwise",
    "-p",
    "no:legacypath",
]


def _cheap_forget(folder: Path) -> None:
    """judge._forget_suite_modules without resolving every module's path: compare strings only
    (the suite folder as given and resolved once), which is what non-symlinked trees need."""
    roots = (str(folder), str(folder.resolve()))
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(roots):
            del sys.modules[name]


def probe_whatif(args: argparse.Namespace) -> None:
    """Warm gradings with experimental judge-side settings, interleaved round-robin.

    "as is" is whatever kdquiz does (captured after one untouched grading); the other variants
    change one thing on top of it, so the probe stays meaningful as kdquiz itself changes."""
    import gc

    import pytest
    import torch

    from kdquiz.grading import judge
    from kdquiz.grading.judge import GradeOptions, grade_submission
    from kdquiz.grading.worker import Zygote

    exercise = _exercise(args.exercise)
    zygote = Zygote()
    zygote.wait_ready()
    path = Path(args.file)
    grade_submission(exercise, path, zygote, GradeOptions())  # kdquiz's own settings apply
    product_threads = torch.get_num_threads()
    original_main = pytest.main
    original_forget = judge._forget_suite_modules
    autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")

    def lean_main(argv: list[str], plugins: Any = None) -> Any:
        return original_main([*argv, *LEAN_PYTEST], plugins=plugins)

    variants: dict[str, dict[str, Any]] = {
        "as is": {},
        "isolation basic instead of strict": {"isolation": "basic"},
        f"judge torch threads={os.cpu_count()}": {"threads": os.cpu_count()},
        "threads=1 + gc.freeze() + lean pytest + string-only forget": {
            "threads": 1,
            "freeze": True,
            "lean": True,
            "cheap": True,
        },
    }

    def apply(
        threads: int | None = None,
        freeze: bool = False,
        lean: bool = False,
        cheap: bool = False,
        isolation: str = "auto",
    ) -> GradeOptions:
        judge._forget_suite_modules = _cheap_forget if cheap else original_forget
        torch.set_num_threads(threads or product_threads)
        gc.unfreeze()  # kdquiz freezes again before its pytest session if it does so itself
        if freeze:
            gc.collect()
            gc.freeze()
        pytest.main = lean_main if lean else original_main  # type: ignore[assignment]
        if lean:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        elif autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = autoload
        return GradeOptions(isolation=isolation)

    for settings in variants.values():  # warm each path once (imports, caches)
        grade_submission(exercise, path, zygote, apply(**settings))
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    names = list(variants)
    for rep in range(args.reps):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for name in order:
            options = apply(**variants[name])
            w0, c0 = time.perf_counter(), time.process_time()
            result = grade_submission(exercise, path, zygote, options)
            samples[name].append(
                {
                    "wall": time.perf_counter() - w0,
                    "cpu": time.process_time() - c0,
                    "status": result.status,
                    "isolation": result.isolation,
                }
            )
    apply()
    zygote.close()
    emit(
        {
            "default_threads": product_threads,
            "variants": {
                name: {
                    "median": statistics.median(s["wall"] for s in rows),
                    "min": min(s["wall"] for s in rows),
                    "cpu_median": statistics.median(s["cpu"] for s in rows),
                    "statuses": sorted({f"{s['status']}/{s['isolation']}" for s in rows}),
                    "n": len(rows),
                }
                for name, rows in samples.items()
            },
        }
    )


class _ForkedProcess:
    """Enough of subprocess.Popen for Zygote.close(): pid, poll(), wait()."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _forked_zygote_init(self: Any) -> None:
    """Zygote.__init__ that forks this (judge) process after importing torch, instead of
    starting a fresh interpreter. Called first thing in `kdquiz grade`, before any content is
    loaded, so the worker never holds a suite, a reference or an expected value."""
    import socket
    import threading

    import torch  # noqa: F401 - imported once, shared with the worker

    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            parent.close()
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            keep = child.fileno()
            os.closerange(3, keep)
            os.closerange(keep + 1, 4096)
            for key in list(os.environ):
                if key.startswith(("KDQUIZ_", "PYTHON")):
                    del os.environ[key]
            os.environ["OMP_NUM_THREADS"] = "1"
            sys.argv = ["zygote", str(keep)]
            from kdquiz.grading.zygote import main as zygote_main

            zygote_main()
        finally:
            os._exit(0)
    child.close()
    self.process = _ForkedProcess(pid)
    self.control = parent
    self._ready = False
    self._lock = threading.Lock()


# --- what-if for whole commands: `kdquiz ...` with judge-side patches ------------------------


def probe_cli(args: argparse.Namespace) -> None:
    """Run the kdquiz CLI in this process after patching the judge side (not the sandbox):

    --early-torch  the judge imports torch and pytest right after starting the zygote, so the
                   two imports overlap (today the judge imports torch only when pytest collects
                   the hidden suite, after waiting for the zygote);
    --threads1     torch.set_num_threads(1) in the judge (the zygote already does this);
    --gc-freeze    gc.freeze() before each pytest session, so pytest's gc.collect() at the end
                   of every session does not walk torch's and pytest's long-lived objects;
    --lean         pytest without the plugins a hidden suite does not need (LEAN_PYTEST) and
                   without entry-point plugin autoloading;
    --cheap-forget judge._forget_suite_modules comparing path strings only (no realpath of
                   every module in sys.modules after every submission);
    --fork-zygote  the judge imports torch first and then *forks* the zygote (before it has
                   loaded any content, suite or reference), so torch is imported once instead
                   of twice; the forked worker runs the real kdquiz.grading.zygote.main().
    """
    import gc

    from kdquiz.grading import worker

    if args.fork_zygote:
        worker.Zygote.__init__ = _forked_zygote_init  # type: ignore[method-assign]

    original_init = worker.Zygote.__init__

    def init(self: Any) -> None:
        original_init(self)
        if args.early_torch:
            import pytest  # noqa: F401
            import torch

            if args.threads1:
                torch.set_num_threads(1)

    worker.Zygote.__init__ = init  # type: ignore[method-assign]
    if args.cheap_forget:
        from kdquiz.grading import judge

        judge._forget_suite_modules = _cheap_forget
    if args.lean:
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if args.threads1 or args.gc_freeze or args.lean:
        import pytest

        original_main = pytest.main

        def main(argv: list[str], *a: Any, **k: Any) -> Any:
            if args.threads1:
                import torch

                torch.set_num_threads(1)
            if args.gc_freeze:
                gc.freeze()
            if args.lean:
                argv = [*argv, *LEAN_PYTEST]
            return original_main(argv, *a, **k)

        pytest.main = main  # type: ignore[assignment]
    from kdquiz.cli.app import run

    sys.argv = ["kdquiz", *args.rest]
    run()


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="probe", required=True)
    p = sub.add_parser("recheck")
    p.add_argument("--exercise", default="kd_loss")
    p.add_argument("--reps", type=int, default=8)
    p.add_argument("--pass-file", required=True)
    p.add_argument("--fail-file", required=True)
    p.add_argument("--workdir", required=True)
    p = sub.add_parser("load")
    p.add_argument("root")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--cache", choices=["cold", "warm", "edit"], default="warm")
    p = sub.add_parser("tui")
    p.add_argument("--reps", type=int, default=3)
    p = sub.add_parser("memory")
    p.add_argument("--exercise", default="kd_loss")
    p.add_argument("--file", required=True)
    p = sub.add_parser("whatif")
    p.add_argument("--exercise", default="kd_loss")
    p.add_argument("--file", required=True)
    p.add_argument("--reps", type=int, default=4)
    p = sub.add_parser("cli")
    p.add_argument("--early-torch", action="store_true")
    p.add_argument("--threads1", action="store_true")
    p.add_argument("--gc-freeze", action="store_true")
    p.add_argument("--fork-zygote", action="store_true")
    p.add_argument("--lean", action="store_true")
    p.add_argument("--cheap-forget", action="store_true")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.probe == "cli" and args.rest[:1] == ["--"]:
        args.rest = args.rest[1:]
    {
        "recheck": probe_recheck,
        "load": probe_load,
        "tui": probe_tui,
        "memory": probe_memory,
        "whatif": probe_whatif,
        "cli": probe_cli,
    }[args.probe](args)


if __name__ == "__main__":
    main()
