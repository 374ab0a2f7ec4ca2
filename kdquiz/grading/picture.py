"""A failing check's picture: for the worst case, the per-class numbers side by side (the
teacher's, the reference's, the learner's), so a learner can see what went wrong rather than read
"max abs error 0.21".

A picture is plain data the suite builds from tensors the judge already holds (never from the
learner's objects), and the suite decides what may be shown (:func:`kdquiz.grading.suite.
expect_close`'s ``picture=``). It travels in the grading JSON as a test's optional ``picture``:

    {"title": {"en": ..., "zh": ...}, "labels": ["0", "1", ...],
     "series": [{"name": {"en": ..., "zh": ...}, "values": [0.12, ...]}, ...]}

:func:`text_lines` draws it for a terminal (the CLI, and the app's result list).
"""

from __future__ import annotations

import math
from typing import Any

MAX_LABELS = 16
BAR = 12  # cells of the longest bar
BLOCKS = "▏▎▍▌▋▊▉█"


def make(
    title: tuple[str, str],
    labels: list[str],
    series: list[tuple[tuple[str, str], list[float]]],
) -> dict[str, Any]:
    """A picture as plain, bounded data (at most MAX_LABELS labels; finite floats)."""
    keep = labels[:MAX_LABELS]

    def clean(value: float) -> float:
        value = float(value)
        return round(value, 6) if math.isfinite(value) else 0.0

    return {
        "title": {"en": title[0], "zh": title[1]},
        "labels": [str(label)[:12] for label in keep],
        "series": [
            {
                "name": {"en": name[0], "zh": name[1]},
                "values": [clean(v) for v in values[: len(keep)]],
            }
            for name, values in series
        ],
    }


def _bar(value: float, top: float) -> str:
    """A signed horizontal bar of up to BAR cells (eighths of a cell for the remainder)."""
    if top <= 0:
        return ""
    eighths = round(abs(value) / top * BAR * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (BLOCKS[part - 1] if part else "")
    return ("-" if value < 0 else "") + bar


def text_lines(picture: dict[str, Any], lang: str) -> list[str]:
    """The picture as terminal lines: a title, then one row per label with a bar and the number
    of each series (series side by side; the reference's and the learner's on one scale)."""
    title = picture["title"].get(lang) or picture["title"]["en"]
    series = picture["series"]
    # the last two series (the reference's and the learner's) share one scale, so their bars
    # compare; each context series before them (a teacher's probabilities) has its own
    shared = max((abs(v) for s in series[-2:] for v in s["values"]), default=0.0)
    tops = [max((abs(v) for v in s["values"]), default=0.0) for s in series[:-2]]
    tops += [shared] * min(2, len(series))
    width = BAR + 2 + 9  # bar, sign, space, number
    names = [(s["name"].get(lang) or s["name"]["en"])[: width - 1] for s in series]
    label_width = max((len(label) for label in picture["labels"]), default=1)
    header = " " * (label_width + 2) + "".join(_pad(name, width) for name in names)
    lines = [title, header.rstrip()]
    for index, label in enumerate(picture["labels"]):
        cells = []
        for s, top in zip(series, tops, strict=True):
            value = s["values"][index] if index < len(s["values"]) else 0.0
            cells.append(_pad(f"{_bar(value, top)} {value:.3g}", width))
        lines.append(f"{label:>{label_width}}  " + "".join(cells).rstrip())
    return lines


def _pad(text: str, cells: int) -> str:
    from kdquiz.core.textwidth import pad

    return pad(text, cells)
