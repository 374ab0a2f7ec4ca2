"""With --lang zh, every screen of the app reads in Chinese: the text actually drawn on each
screen (from the app's own screenshot) is scanned for English prose (tests/zh_scan.py)."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from kdquiz.tui.app import KdquizApp

from ..zh_scan import english_lines
from .conftest import FROZEN, settle

TEXT = re.compile(
    r'<text class="terminal-[^"]*" x="([\d.]+)" y="([\d.]+)"(?: textLength="([\d.]+)")?[^>]*>'
    r"([^<]*)</text>"
)
CELL = 12.2  # the width of one terminal cell in Textual's screenshots


def screen_text(app: KdquizApp) -> str:
    """The screen as lines of text, in the order drawn. Cells left blank between two pieces of
    text become spaces (syntax-highlighted code is drawn token by token, without its spaces)."""
    svg = app.export_screenshot()
    lines: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
    for x, y, length, text in TEXT.findall(svg):
        piece = html.unescape(text).replace("\xa0", " ")
        lines[float(y)].append((float(x), float(length or 0), piece))
    out = []
    for _, parts in sorted(lines.items()):
        line, end = "", None
        for x, length, piece in sorted(parts):
            if end is not None and x - end > CELL / 2:
                line += " " * round((x - end) / CELL)
            line += piece
            end = x + length if length else None
        out.append(line.rstrip())
    return "\n".join(out)


async def test_every_screen_reads_in_chinese() -> None:
    app = KdquizApp(lang="zh", content_dir=None)
    app.fixed_now = FROZEN
    seen: dict[str, list[str]] = {}

    async def look(name: str) -> None:
        await settle(app, pilot)
        text = screen_text(app)
        assert text.strip(), name
        seen[name] = english_lines(text)

    async with app.run_test(size=(120, 40)) as pilot:
        await look("home")
        await pilot.press("question_mark")
        await look("help")
        await pilot.press("escape", "c")
        await look("quiz setup")
        await pilot.press("escape", "r")
        await look("review")
        await pilot.press("escape", "escape", "e")
        await look("exercises")
        await pilot.press("enter")
        await look("exercise")
        await pilot.press("escape", "escape", "p")
        await look("progress")
        await pilot.press("escape", "s")
        await look("settings")
    english = {name: lines for name, lines in seen.items() if lines}
    assert not english, english
    assert len(seen) == 8
