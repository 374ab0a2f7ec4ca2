"""One exercise: the statement, your file, checks with per-test results as they finish, the hint
ladder, an embedded editor, and (after a pass) the reference beside your code."""

from __future__ import annotations

import subprocess
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Markdown, Static

from kdquiz.tui.messages import CheckFinished, FileChanged, TestFinished
from kdquiz.tui.screens.base import KdScreen


class ExerciseScreen(KdScreen):
    """Keys: s start, o open in $EDITOR, i edit here, c check, h hint, v solution."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "start", "Start"),
        Binding("o", "open_editor", "$EDITOR"),
        Binding("i", "edit_here", "Edit here"),
        Binding("c", "check", "Check"),
        Binding("h", "hint", "Hint"),
        Binding("v", "solution", "Solution"),
    ]
    KEY_LABELS = {
        "start": "tui.key.start",
        "open_editor": "tui.key.edit",
        "edit_here": "tui.key.editor",
        "check": "tui.key.check",
        "hint": "tui.key.hint",
        "solution": "tui.key.solution",
    }

    def __init__(self, exercise_id: str) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.tests: list[Any] = []
        self.result: Any = None
        self.status_line = ""
        self.hints_shown = 0
        self.passed = False
        self.watching = False
        self._checked_digest: str | None = None
        self._manual = False
        """Whether the running check was asked for (c) rather than run on save."""

    @property
    def exercise(self) -> Any:
        return self.kd.content.exercises[self.exercise_id]

    @property
    def path(self) -> Any:
        from kdquiz.core import workspace

        return workspace.exercise_file(self.exercise_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exercise-main"):
            with VerticalScroll(id="exercise-statement"):
                yield Markdown(id="statement")
            with VerticalScroll(id="exercise-side"):
                yield Static(id="exercise-file", classes="dim")
                yield Static(id="exercise-status", classes="subtitle")
                yield Static(id="exercise-results")
                yield Static(id="exercise-hints")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.load_state()
        if self.path.exists():
            self.watch_file()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < 90, "narrow")

    def relabel(self) -> None:
        lang = self.kd.lang
        self.sub_title = self.exercise.meta.title.get(lang)
        self.query_one("#statement", Markdown).update(self.exercise.statement(lang))
        path = self.path
        self.query_one("#exercise-file", Static).update(
            self.tr("tui.ex.file", path=path)
            if path.exists()
            else self.tr("tui.ex.no_file", path=path)
        )
        self._render_results()
        self._render_hints()

    # -- state -------------------------------------------------------------------------------
    @work(thread=True, group="exercise-state")
    def load_state(self) -> None:
        from kdquiz.core import workspace
        from kdquiz.core.progress import ProgressError

        store = self.store()
        if store is None:
            return
        try:
            state = workspace.exercise_state(store, self.exercise_id)
        except ProgressError as exc:
            self._tell(exc.message(self.kd.lang))
            return

        def apply() -> None:
            self.hints_shown, self.passed = state.hints_shown, state.passed
            if state.last_status and not self.status_line and self.result is None:
                # re-opening an exercise shows its last result
                from datetime import datetime

                when = datetime.fromtimestamp(state.last_at or 0).strftime("%Y-%m-%d %H:%M")
                self.status_line = self.tr(
                    "daily.ex.last",
                    when=when,
                    verdict=self.tr(f"tui.ex.{state.last_status}"),
                    score=state.last_score,
                )
                self._render_results()
            self._render_hints()

        self.app.call_from_thread(apply)

    # -- actions -----------------------------------------------------------------------------
    def action_start(self) -> None:
        from kdquiz.core import workspace

        _path, created = workspace.start(self.exercise_id, self.exercise.starter_path, self.kd.lang)
        if created:
            exercise_id = self.exercise_id
            self.save(lambda store: store.log(exercise_id, "exercise", "start"))
        self.relabel()
        self.watch_file()

    def _saved_in_editor(self) -> None:
        """The embedded editor saved the file: check it again."""
        self.post_message(FileChanged(self.exercise_id))

    def action_open_editor(self) -> None:
        """Open the file in the learner's editor: $VISUAL, $EDITOR, the setting, then the first of
        a short list found on PATH. The screen always comes back; a missing editor is named."""
        from kdquiz.core.settings import load_settings, resolve_editor

        if not self.path.exists():
            self.action_start()
        argv, tried = resolve_editor(load_settings())
        if argv is None:
            self.notify(
                self.tr("daily.editor.none", tried=", ".join(tried)), severity="error", timeout=10
            )
            return
        try:
            with self.app.suspend():
                subprocess.run([*argv, str(self.path)], check=False)
        except (OSError, ValueError) as exc:
            self.notify(
                self.tr("daily.editor.failed", editor=" ".join(argv), reason=exc),
                severity="error",
                timeout=10,
            )
        self.app.refresh(layout=True)

    def action_edit_here(self) -> None:
        from kdquiz.tui.screens.editor import EditorScreen

        if not self.path.exists():
            self.action_start()
        self.app.push_screen(
            EditorScreen(
                self.path,
                on_save=lambda: (self.post_message(FileChanged(self.exercise_id)), None)[1],
            )
        )

    def action_hint(self) -> None:
        hints = self.exercise.meta.hints
        if self.hints_shown >= len(hints):
            self.notify(self.tr("tui.ex.no_more_hints"))
            return
        self.hints_shown += 1
        exercise_id, level = self.exercise_id, self.hints_shown
        self.save(lambda store: store.record_hint(exercise_id, level))
        self._render_hints()

    def action_solution(self) -> None:
        from kdquiz.tui.screens.solution import SolutionScreen

        if not self.passed:
            self.notify(self.tr("tui.ex.solution_locked"), severity="warning")
            return
        self.app.push_screen(SolutionScreen(self.path, self.exercise.reference_path))

    def action_check(self, manual: bool = True) -> None:
        from kdquiz.core import watching

        if not self.path.exists():
            self.action_start()
        self.tests = []
        self.result = None
        self._manual = manual
        self._checked_digest = watching.digest(self.path)
        first = self.kd._grader is None
        self.status_line = self.tr("tui.ex.warming") if first else self.tr("tui.ex.checking")
        self._render_results()
        self.run_check()

    @work(thread=True, exclusive=True, group="check")
    def run_check(self) -> None:
        """Grade in a worker thread; each finished test is posted as it comes."""
        from kdquiz.grading.judge import GradingError
        from kdquiz.grading.worker import ZygoteError

        grader = self.kd.grader
        try:
            result = grader.check(
                self.exercise,
                self.path,
                self.kd.lang,
                lambda test: self.app.call_from_thread(
                    self.post_message, TestFinished(self.exercise_id, test)
                ),
            )
        except (GradingError, ZygoteError) as exc:
            self.app.call_from_thread(
                self.post_message, CheckFinished(self.exercise_id, None, str(exc))
            )
            return
        self.app.call_from_thread(self.post_message, CheckFinished(self.exercise_id, result))

    def on_test_finished(self, message: TestFinished) -> None:
        self.tests.append(message.result)
        self.status_line = self.tr("tui.ex.checking")
        self._render_results()

    def on_check_finished(self, message: CheckFinished) -> None:
        from kdquiz.core import watching

        if message.result is None:  # the grader could not run: nothing is recorded
            self.status_line = message.error
            self._render_results()
            return
        if message.result.sha256 != watching.digest(self.path):
            # the file changed while it was checked: never show (or record) a stale result
            self.notify(self.tr("daily.check.stale"), timeout=2)
            self.action_check(manual=False)
            return
        self.result = message.result
        self.tests = list(message.result.tests)
        self.passed = self.passed or message.result.status == "pass"
        verdict = self.tr(f"tui.ex.{message.result.status}")
        self.status_line = self.tr(
            "tui.ex.result",
            verdict=verdict,
            score=message.result.score,
            max=message.result.max_score,
            seconds=message.result.duration_s,
            isolation=message.result.isolation,
        )
        self._render_results()
        self.record_check(message.result)

    def record_check(self, result: Any) -> None:
        """An attempt (a review only by the daily rule); written off the UI thread."""
        from kdquiz.core import workspace

        exercise_id = self.exercise_id
        seen = self._manual and not workspace.is_untouched_starter(
            self.path, self.exercise.starter_path
        )
        self.save(
            lambda store: store.record_check(
                exercise_id,
                result.status,
                result.score,
                result.max_score,
                seen=seen,
                isolation=result.isolation,
            )
        )

    # -- watching ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="watch")
    def watch_file(self) -> None:
        """Re-check automatically whenever the file is saved, by any editor (the folder is watched,
        so a save by rename is seen too: :mod:`kdquiz.core.watching`)."""
        from kdquiz.core import watching

        if self.watching:
            return
        self.watching = True
        worker_cancelled = self._cancelled
        for _digest in watching.saves(self.path, self._stop_event()):
            if worker_cancelled():
                break
            self.app.call_from_thread(self.post_message, FileChanged(self.exercise_id))

    def _stop_event(self) -> Any:
        import threading

        if not hasattr(self, "_stop"):
            self._stop = threading.Event()
        return self._stop

    def _cancelled(self) -> bool:
        return self._stop_event().is_set()

    def on_file_changed(self, _message: FileChanged) -> None:
        from kdquiz.core import watching

        # The embedded editor and the file watcher may both report one save: check it once.
        if watching.digest(self.path) == self._checked_digest:
            return
        self.notify(self.tr("tui.ex.saved"), timeout=1.5)
        self.action_check(manual=False)

    def on_unmount(self) -> None:
        self._stop_event().set()

    # -- rendering -------------------------------------------------------------------------------
    def _render_results(self) -> None:
        from kdquiz.grading.picture import text_lines

        rows: list[Any] = [Text(self.status_line, style="bold")] if self.status_line else []
        pictured = False
        for test in self.tests:
            ok = test.status == "pass"
            rows.append(Text(("✓ " if ok else "✗ ") + test.name, style="green" if ok else "red"))
            if test.message:
                rows.append(Text("   " + test.message, style="dim" if ok else ""))
            picture = getattr(test, "picture", None)
            if picture is not None and not pictured:  # the first failing check's picture
                pictured = True
                lines = text_lines(picture, self.kd.lang)
                rows.append(Text("     " + lines[0], style="bold"))
                rows.extend(Text("     " + line, style="cyan") for line in lines[1:])
        if self.result is not None and self.result.message and not self.tests:
            rows.append(Text(self.result.message, style="red"))
        if self.result is not None and self._is_stale():
            rows.append(Text(self.tr("daily.ex.stale"), style="bold yellow"))
        if self.result is not None and self.result.output.strip():
            rows.append(Text(self.tr("tui.ex.yours") + ":", style="bold"))
            output = self.result.output.strip()
            rows.append(Text(output[:1500], style="dim"))
            if len(output) > 1500:
                rows.append(Text(self.tr("daily.output.capped", hidden=len(output) - 1500)))
        self.query_one("#exercise-results", Static).update(Group(*rows))

    def _is_stale(self) -> bool:
        """Whether the result shown is older than the file on disk."""
        from kdquiz.core import watching

        return bool(self.result.sha256) and self.result.sha256 != watching.digest(self.path)

    def _render_hints(self) -> None:
        hints = self.exercise.meta.hints
        rows = [
            Text(
                self.tr(
                    "tui.ex.hint", level=i + 1, total=len(hints), text=hints[i].get(self.kd.lang)
                )
            )
            for i in range(min(self.hints_shown, len(hints)))
        ]
        self.query_one("#exercise-hints", Static).update(Group(*rows))
