"""A menu of the exercise's clarifying questions: the candidate picks one and the interviewer's
answer is shown on the coding screen (every ask is recorded, none is penalised)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ClarifyScreen(ModalScreen[int | None]):
    """Dismissed with the index of the question asked, or None."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, interview: Any, asked: list[int]) -> None:
        super().__init__()
        self.interview = interview
        self.asked = set(asked)

    def compose(self) -> ComposeResult:
        app: Any = self.app
        lang = app.lang
        with Vertical(id="iv-clarify"):
            yield Static(app.t("iv.tui.clarify.title"), classes="subtitle")
            yield OptionList(
                *[
                    Option(("✓ " if i in self.asked else "  ") + item.question.get(lang), id=str(i))
                    for i, item in enumerate(self.interview.clarifications)
                ],
                id="iv-clarify-list",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
