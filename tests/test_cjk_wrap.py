"""Chinese text in the app breaks between characters (Rich alone breaks only at spaces), and text
without CJK characters wraps exactly as before."""

from __future__ import annotations

import re

import pytest
from rich import _wrap

from kdquiz.tui import cjk

EXPLANATION = (
    "MiniLM 的“深度自注意力蒸馏”只用最后一层，因此无需选择层映射，学生的层数也不受限制；"
    "由于注意力分布和值关系都是 L × L（序列长度）的矩阵，学生的隐藏维度不必与教师一致。"
)
ENGLISH = (
    "MiniLM's deep self-attention distillation uses only the last layer, so no layer mapping "
    "is needed and the student's depth is free; (L x L) matrices, 'quoted', end."
)


def _lines(text: str, width: int, pattern: re.Pattern[str]) -> list[str]:
    original = _wrap.re_word
    _wrap.re_word = pattern
    try:
        offsets = _wrap.divide_line(text, width)
    finally:
        _wrap.re_word = original
    cuts = [0, *offsets, len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


@pytest.mark.parametrize("width", [20, 37, 60])
def test_chinese_lines_are_filled(width: int) -> None:
    from rich.cells import cell_len

    lines = _lines(EXPLANATION, width, cjk.WORD)
    assert "".join(lines) == EXPLANATION  # nothing lost
    for line in lines[:-1]:
        assert cell_len(line.rstrip()) >= width - 4, (width, lines)  # no short line before a run
        assert line.strip(), lines
        assert line.lstrip()[0] not in cjk.CLOSING  # no line starts with closing punctuation
        assert line.rstrip()[-1] not in cjk.OPENING  # none ends with opening punctuation
    stock = _lines(EXPLANATION, width, re.compile(r"\s*\S+\s*"))
    assert len(lines) <= len(stock)


@pytest.mark.parametrize("width", [15, 30, 61])
def test_text_without_cjk_wraps_as_before(width: int) -> None:
    assert _lines(ENGLISH, width, cjk.WORD) == _lines(ENGLISH, width, re.compile(r"\s*\S+\s*"))


def test_every_character_is_in_some_word() -> None:
    text = "（“）” ，。 a（b）c 中（文）English，混合。。 …… ——x"
    covered = "".join(m.group(0) for m in re.finditer(cjk.WORD, text))
    assert covered == text.rstrip() or covered == text
