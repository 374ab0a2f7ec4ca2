"""`kdquiz export anki`: a package Anki imports, with GUIDs that survive an edited bank."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app, hoist_global_options

from .conftest import COURSE

runner = CliRunner()


def _notes(package: Path, tmp_path: Path) -> dict[str, tuple[list[str], str, int]]:
    """guid -> (fields, tags, note type id), read from the package's collection database."""
    with zipfile.ZipFile(package) as archive:
        assert "collection.anki2" in archive.namelist()
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = db.execute("select guid, flds, tags, mid from notes").fetchall()
        cards = db.execute("select count(*) from cards").fetchone()[0]
    finally:
        db.close()
    assert cards == len(rows)  # one card per note
    return {guid: (flds.split("\x1f"), tags, mid) for guid, flds, tags, mid in rows}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def _export(course: Path, out: Path, *args: str) -> str:
    argv = hoist_global_options(["--content", str(course), "export", "anki", "-o", str(out), *args])
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    return result.output


def test_one_note_per_question_with_tags_and_a_note_type_per_kind(
    course: Path, tmp_path: Path
) -> None:
    out = _export(course, tmp_path / "kd.apkg")
    assert "6 questions" in out
    notes = _notes(tmp_path / "kd.apkg", tmp_path)
    ids = [fields[-1].split(" · ")[0] for fields, _, _ in notes.values()]
    # five plain questions and a numeric template given as three fixed instances
    assert len(notes) == 8 and sum(i.endswith(("#1", "#2", "#3")) for i in ids) == 3
    kinds = {tags.split("kdquiz::kind::")[1].split()[0]: mid for _, tags, mid in notes.values()}
    assert len(set(kinds.values())) == len(kinds) >= 3  # a note type per kind
    fields, tags, _ = next(iter(notes.values()))
    assert "kdquiz::topic::" in tags and "kdquiz::difficulty::" in tags
    assert all(fields[0] for fields, _, _ in notes.values())  # every prompt is there


def test_both_languages_and_a_reexport_of_an_edited_bank_keeps_the_guids(
    course: Path, tmp_path: Path
) -> None:
    first = tmp_path / "a"
    first.mkdir()
    _export(course, first / "kd.apkg", "--lang", "both")
    before = _notes(first / "kd.apkg", first)
    prompt = next(iter(before.values()))[0][0]
    assert 'class="en"' in prompt and 'class="zh"' in prompt
    bank = course / "questions" / "basics.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("for entry 0", "for ENTRY 0"), "utf-8")
    second = tmp_path / "b"
    second.mkdir()
    _export(course, second / "kd.apkg", "--lang", "both")
    after = _notes(second / "kd.apkg", second)
    assert set(after) == set(before)  # same notes: Anki updates them instead of adding
    changed = [g for g in before if before[g][0] != after[g][0]]
    assert changed and all("ENTRY 0" in " ".join(after[g][0]) for g in changed)


def test_chinese_cards_and_a_topic_filter(course: Path, tmp_path: Path) -> None:
    _export(course, tmp_path / "zh.apkg", "--lang", "zh", "--topic", "basics")
    notes = _notes(tmp_path / "zh.apkg", tmp_path)
    assert any("温度" in fields[0] for fields, _, _ in notes.values())
    result = runner.invoke(
        app,
        ["--content", str(course), "export", "anki", "-o", str(tmp_path / "x.apkg"), "-t", "nope"],
    )
    assert result.exit_code == 2 and "basics" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.apkg").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_mistyped_output_creates_nothing_and_says_what_to_do(
    course: Path, tmp_path: Path, lang: str
) -> None:
    """-o into a folder that does not exist, through a file, or without .apkg: one line, exit 2,
    nothing created (a mistyped path used to create the folders it named)."""
    afile = tmp_path / "afile"
    afile.write_text("kept")
    cases = {
        tmp_path / "no" / "such" / "kd.apkg": ("the folder", "文件夹"),
        afile / "kd.apkg": ("the folder", "文件夹"),
        tmp_path / "kd.txt": (".apkg", ".apkg"),
    }
    for output, (en, zh) in cases.items():
        argv = ["--lang", lang, "--content", str(course), "export", "anki", "-o", str(output)]
        result = runner.invoke(app, hoist_global_options(argv))
        assert result.exit_code == 2, result.output
        assert (en if lang == "en" else zh) in result.output and "Traceback" not in result.output
        assert not output.exists()
    assert not (tmp_path / "no").exists() and afile.read_text() == "kept"
