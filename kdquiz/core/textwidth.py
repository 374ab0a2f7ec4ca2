"""Text measured in terminal cells, not characters: a Chinese character takes two cells, so
padding with ``len`` misaligns Chinese columns and slicing cuts words in half.

``width`` counts cells (East Asian wide and full-width characters are 2, combining marks 0);
``fit`` shortens a text to a number of cells with an ellipsis, at a word boundary for Latin text
(Chinese may break between any two characters); ``pad`` left-aligns in a column of cells.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """The number of terminal cells ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def fit(text: str, cells: int) -> str:
    """``text`` if it fits in ``cells``, else its longest start that fits with "…" after it —
    ending at a space when the cut would fall inside a Latin word."""
    if width(text) <= cells:
        return text
    if cells <= 0:
        return ""
    room = cells - width(ELLIPSIS)
    used = 0
    end = 0
    for index, char in enumerate(text):
        w = char_width(char)
        if used + w > room:
            break
        used += w
        end = index + 1
    head = text[:end]
    inside_word = end < len(text) and text[end].isascii() and text[end].isalnum()
    if inside_word and head and head[-1].isascii() and head[-1].isalnum():
        cut = head.rstrip().rfind(" ")
        if cut > 0:
            head = head[:cut]
    return head.rstrip(" ,;:-") + ELLIPSIS


def pad(text: str, cells: int) -> str:
    """``text`` fitted to ``cells`` and padded with spaces to exactly that many cells."""
    fitted = fit(text, cells)
    return fitted + " " * (cells - width(fitted))
