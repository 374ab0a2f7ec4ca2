"""Per-topic mastery as labelled bars."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static


def mastery_table(topics: list[Any], width: int = 24) -> Table:
    """A table of topic, bar and percentage (``topics`` are core.stats.TopicMastery)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, max_width=26)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for topic in topics:
        filled = round(topic.mastery * width)
        bar = Text("█" * filled, style="green") + Text("░" * (width - filled), style="dim")
        table.add_row(topic.title, bar, f"{topic.mastery:4.0%} ({topic.seen}/{topic.questions})")
    return table


class MasteryBars(Static):
    """Shows :func:`mastery_table` for the topics it is given."""

    def show(self, topics: list[Any]) -> None:
        self.update(mastery_table(topics))
