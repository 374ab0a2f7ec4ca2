"""Columns line up by display width: Chinese characters take two cells."""

from __future__ import annotations

import pytest

from kdquiz.core.textwidth import fit, pad, width


def test_width_counts_cells() -> None:
    assert width("kd_loss") == 7
    assert width("练习") == 4
    assert width("软目标（T=4）") == 13  # full-width brackets are wide too
    assert width("e\u0301") == 1  # a combining accent takes no cell


@pytest.mark.parametrize("cells", [5, 10, 17, 28])
def test_fit_never_exceeds_the_width_and_never_cuts_a_word(cells: int) -> None:
    text = "Evaluating and debugging distillation"
    fitted = fit(text, cells)
    assert width(fitted) <= cells
    if fitted != text:
        assert fitted.endswith("…")
        words = fitted[:-1].split()
        if len(text.split()[0]) < cells:  # cut after a whole word when one fits
            assert all(w in text.split() for w in words), fitted
        else:  # a first word longer than the column is the one thing cut
            assert text.startswith(fitted[:-1]), fitted


def test_fit_chinese_cuts_between_characters() -> None:
    fitted = fit("评估与调试蒸馏模型的常见问题", 11)
    assert fitted == "评估与调试…" and width(fitted) == 11


def test_pad_aligns_mixed_columns() -> None:
    rows = [pad(name, 10) + "|" for name in ("kd_loss", "练习", "蒸馏损失函数很长的名字")]
    assert {width(row) for row in rows} == {11}


def test_cli_tables_line_up_in_chinese(isolated_home) -> None:  # type: ignore[no-untyped-def]
    """`exercise list` and `stats` in Chinese: every row's columns start at the same cell."""
    from typer.testing import CliRunner

    from kdquiz.cli.app import app

    runner = CliRunner()
    listing = runner.invoke(app, ["--lang", "zh", "exercise", "list"]).output.splitlines()
    assert listing[0].startswith("练习")
    # the title column starts at the same display cell on every line (header included)
    starts = {width(line[: line.index(title)]) for line, title in _titles(listing)}
    assert len(starts) == 1, listing[:4]
    stats = runner.invoke(app, ["--lang", "zh", "stats"]).output.splitlines()
    bars = [line for line in stats if line.rstrip().endswith(")") and "%" in line]
    assert len(bars) >= 12
    assert len({width(line[: line.index("%")]) for line in bars}) == 1, bars[:3]


def _titles(lines: list[str]) -> list[tuple[str, str]]:
    """Each line with the text of its last column (after the status column)."""
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 4:
            found.append((line, parts[3] if line.startswith("练习") else " ".join(parts[3:])))
    return found
