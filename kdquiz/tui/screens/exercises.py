"""The exercise list: status (new / started / passing) and difficulty, in suggested order."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from kdquiz.tui.screens.base import KdScreen


class ExercisesScreen(KdScreen):
    """Enter opens the selected exercise."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("enter", "open", "Open", show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="exercise-list-help", classes="dim")
        yield DataTable(id="exercise-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load_statuses()

    def relabel(self) -> None:
        self.query_one("#exercise-list-help", Static).update(self.tr("daily.ex.enter_opens"))
        self.load_statuses()

    @work(thread=True, exclusive=True, group="exercise-status")
    def load_statuses(self) -> None:
        from kdquiz.core import workspace
        from kdquiz.core.progress import ProgressError

        statuses: dict[str, str] = {}
        store = self.store()
        if store is None:
            return
        try:
            for exercise_id in self.kd.content.exercises:
                if workspace.exercise_state(store, exercise_id).passed:
                    statuses[exercise_id] = "passing"
                elif workspace.exercise_file(exercise_id).exists():
                    statuses[exercise_id] = "started"
                else:
                    statuses[exercise_id] = "new"
        except ProgressError as exc:
            self._tell(exc.message(self.kd.lang))
            return
        self.app.call_from_thread(self._fill, statuses)

    def _fill(self, statuses: dict[str, str]) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(*self.tr("tui.ex.columns").split("|"))
        for exercise in self.kd.content.learner_exercises.values():
            status = statuses.get(exercise.id, "new")
            style = {"passing": "green", "started": "yellow"}.get(status, "")
            label = self.tr(f"tui.ex.status.{status}")
            table.add_row(
                exercise.id,
                "★" * exercise.meta.difficulty,
                f"[{style}]{label}[/]" if style else label,
                exercise.meta.title.get(self.kd.lang),
                key=exercise.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self._open(str(key))

    def _open(self, exercise_id: str) -> None:
        from kdquiz.tui.screens.exercise import ExerciseScreen

        self.app.push_screen(ExerciseScreen(exercise_id))
