"""Line breaking for Chinese text in the app.

Rich (which Textual uses to wrap text) breaks lines only at spaces. Chinese has no spaces between
words, so a sentence such as "MiniLM 的“深度自注意力蒸馏”只用最后一层，因此……" is one long "word"
after "MiniLM": it goes to the next line whole and is then folded, leaving a line with just
"MiniLM" above it. Chinese may break between any two characters, except that closing punctuation
(，。） and so on) must not start a line and opening punctuation (（“ and so on) must not end one.

``enable()`` makes Rich's word splitter treat each CJK character, with the punctuation that
belongs to it, as a word of its own. Text without CJK characters is split exactly as before.
"""

from __future__ import annotations

import re

CJK = (
    "\u2e80-\u2fdf"  # radicals
    "\u3040-\u30ff"  # kana
    "\u3100-\u312f"  # bopomofo
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
)
OPENING = "（［｛〔【〖〈《「『“‘"
CLOSING = "，。、；：！？）］｝〕】〗〉》」』”’…—·％"

WORD = re.compile(
    rf"\s*(?:[{OPENING}]*[{CJK}][{CLOSING}]*"  # one character with its punctuation
    rf"|[{OPENING}]+"  # opening punctuation before something that is not CJK
    rf"|[^\s{CJK}{OPENING}{CLOSING}]+[{CLOSING}]*"  # a run of anything else (Latin words, ...)
    rf"|[{CLOSING}]+)\s*"
)


def enable() -> bool:
    """Use :data:`WORD` in Rich's line breaking; False if this Rich has no such hook."""
    try:
        from rich import _wrap
    except ImportError:  # pragma: no cover - Rich always comes with Textual
        return False
    if not hasattr(_wrap, "re_word"):  # pragma: no cover - a Rich that wraps differently
        return False
    _wrap.re_word = WORD
    return True
