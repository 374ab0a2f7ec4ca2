"""A stacked bar chart of answers per day (right in green, wrong in red), drawn with blocks."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▁▂▃▄▅▆▇█"


def render_history(history: list[dict[str, Any]], height: int = 8) -> Group:
    """Rows of the chart, top to bottom, plus an axis with the first and last dates."""
    top = max((d["right"] + d["wrong"] for d in history), default=0) or 1
    scale = height * 8 / top
    columns = []
    for day in history:
        right = round(day["right"] * scale)
        wrong = round(day["wrong"] * scale)
        columns.append((right, wrong))
    lines: list[Text] = []
    for row in range(height - 1, -1, -1):
        line = Text(f"{top * (row + 1) / height:>4.0f} │" if row in (0, height - 1) else "     │")
        for right, wrong in columns:
            low = row * 8
            total = right + wrong
            cell = max(0, min(8, total - low))
            style = "green" if right > low + cell // 2 or wrong == 0 else "red"
            if total > low and right <= low:
                style = "red"
            line.append(BLOCKS[cell] * 2, style=style if cell else "")
        lines.append(line)
    axis = Text("     └" + "──" * len(history))
    first = history[0]["date"][5:] if history else ""
    last = history[-1]["date"][5:] if history else ""
    dates = Text("      " + first + " " * max(1, len(history) * 2 - len(first) - len(last)) + last)
    return Group(*lines, axis, dates)


class HistoryChart(Static):
    """The review history as a chart (a plot, not a table of numbers)."""

    def show(self, history: list[dict[str, Any]]) -> None:
        self.update(render_history(history))
