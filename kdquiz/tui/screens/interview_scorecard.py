"""The scorecard at the end of a mock interview: each part's time, key points, clarifications,
runs, tests and hints, what the failing tests point at, and the verdicts of the documented rules
(docs/interview.md). The full statement of the exercise is one key away."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from kdquiz.core import interview as core
from kdquiz.core import interview_score as ivscore
from kdquiz.tui.screens.base import KdScreen


class InterviewScorecardScreen(KdScreen):
    """Escape goes home; s opens the exercise with its full statement."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("s", "statement", "Full statement")]
    KEY_LABELS = {"statement": "iv.tui.key.statement"}

    def __init__(self, session: core.Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="iv-body"):
            yield Static(id="iv-card-title", classes="title")
            yield Static(id="iv-card")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.record_pending()

    def record_pending(self) -> None:
        """Every step not yet in the review queue goes there now (the coding step, and any
        answer whose recording was cut short), then the session is saved."""

        def write(store: Any) -> None:
            for index in range(len(self.session.steps)):
                ivscore.record_step(store, self.session, index, self.kd.content)
            self.app.call_from_thread(core.save, self.session)

        self.save(write)

    def relabel(self) -> None:
        self.sub_title = self.tr("iv.tui.setup.title")
        self.query_one("#iv-card-title", Static).update(
            self.tr("iv.scorecard.title", id=self.session.id)
        )
        self.query_one("#iv-card", Static).update(self._card())

    def _card(self) -> RenderableType:
        card = ivscore.scorecard(self.session, self.kd.content)
        tr = self.tr
        table = Table(expand=False, pad_edge=False, box=None, padding=(0, 2, 0, 0))
        for column in ("part", "time", "score", "verdict"):
            table.add_column(tr(f"iv.tui.card.{column}"), no_wrap=column != "score")
        for part in card.parts:
            if part.part == "coding":
                score = "\n".join(
                    (
                        tr("iv.tui.card.tests", passed=part.tests_passed, total=part.tests_total),
                        tr(
                            "iv.tui.card.asked",
                            clarifications=part.clarifications,
                            runs=part.runs,
                            hints=part.hints,
                        ),
                    )
                )
            else:
                score = tr(
                    "iv.scorecard.points", covered=part.points_covered, total=part.points_total
                ).strip()
            style = {"strong": "green", "on_track": "yellow", "needs_work": "red"}[part.verdict]
            table.add_row(
                f"{tr(f'iv.part.{part.part}')} ({part.items})",
                f"{core.format_clock(part.time_used_s)} / {core.format_clock(part.budget_s)}",
                score,
                Text(tr(f"iv.verdict.{part.verdict}"), style=style),
            )
        rows: list[RenderableType] = [
            table,
            Text(""),
            Text(
                tr("iv.scorecard.verdict", verdict=tr(f"iv.verdict.{card.verdict}")), style="bold"
            ),
            Text(tr("iv.scorecard.rules"), style="dim"),
        ]
        if card.weak_items:
            rows.append(Text(tr("iv.scorecard.weak", items=", ".join(card.weak_items))))
        if card.misconceptions:
            rows += [Text(""), Text(tr("iv.scorecard.misconceptions"), style="bold")]
            for names, message in ivscore.group_failures(card.misconceptions):
                rows.extend(Text(f" ✗ {name}", style="red") for name in names)
                if message:
                    rows.append(Text(f"   {message}"))
        return Group(*rows)

    def action_statement(self) -> None:
        from kdquiz.tui.screens.exercise import ExerciseScreen

        coding = self.session.coding
        if coding is not None and coding.item_id in self.kd.content.exercises:
            self.app.push_screen(ExerciseScreen(coding.item_id))
