"""One way to localise: every catalogue key is used, in both languages with the same
placeholders (tests/test_import_hygiene.py), and no dead key stays behind."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kdquiz"


def _code() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in PACKAGE.rglob("*.py")
        if "messages" not in p.relative_to(PACKAGE).parts
    )


def test_no_dead_keys() -> None:
    """A key is used when the code names it, or builds it from its prefix
    (``t(f"tui.kind.{kind}", ...)``)."""
    from kdquiz.core.i18n import messages

    code = _code()
    built = set(re.findall(r"f[\"']([a-z0-9_.]+)\.\{", code))
    dead = [
        key
        for key in messages()
        if f'"{key}"' not in code and f"'{key}'" not in code and key.rsplit(".", 1)[0] not in built
    ]
    assert not dead, f"keys nothing uses (delete them): {dead}"
