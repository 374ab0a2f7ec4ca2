"""`kdquiz validate`: the bundled content is clean, and every kind of mistake is reported with
its file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core.content import load_content

from .conftest import COURSE, FIXTURES, ROOT

runner = CliRunner()
BROKEN = FIXTURES / "broken"


def test_bundled_content_is_clean() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output or "no problems" in result.output


def test_fixture_course_is_clean() -> None:
    result = runner.invoke(app, ["--content", str(COURSE), "validate"])
    assert result.exit_code == 0, result.output
    assert "6 questions, 2 exercises" in result.output


def _expectations() -> list[tuple[str, int, int, str]]:
    found = []
    for path in sorted((BROKEN / "questions").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.match(r"# expect: (\d+):(\d+): (.*)", first)
        if match:
            found.append((path.name, int(match[1]), int(match[2]), match[3]))
    return found


def test_there_are_at_least_twelve_kinds_of_mistake() -> None:
    assert len(_expectations()) >= 12


@pytest.mark.parametrize("name,line,column,message", _expectations())
def test_each_mistake_is_reported_at_its_line(
    name: str, line: int, column: int, message: str
) -> None:
    result = runner.invoke(app, ["--content", str(BROKEN), "validate"])
    assert result.exit_code == 1
    expected = f"questions/{name}:{line}:{column}: {message}"
    assert any(row.startswith(expected) for row in result.output.splitlines()), result.output


def test_all_problems_are_reported_at_once() -> None:
    content = load_content(BROKEN)
    files = {p.file for p in content.errors}
    assert len(files) == len(_expectations())


def test_validate_one_file_still_checks_references(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--content", str(BROKEN), "validate", str(BROKEN / "questions" / "dangling.yaml")]
    )
    assert result.exit_code == 1
    assert "did you mean 'hinton2015'" in result.output
    assert "tabs.yaml" not in result.output


def test_missing_path_is_exit_2_with_one_line() -> None:
    result = runner.invoke(app, ["validate", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_missing_content_tree_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--content", str(tmp_path / "nowhere"), "validate"])
    assert result.exit_code == 2
    assert "KDQUIZ_CONTENT" in result.output


def test_not_a_content_tree_is_reported(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--content", str(tmp_path), "validate"])
    assert result.exit_code == 1
    assert "not a kdquiz content tree" in result.output


def test_env_variable_selects_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KDQUIZ_CONTENT", str(COURSE))
    result = runner.invoke(app, ["validate"])
    assert "6 questions" in result.output


def test_schema_is_generated_from_the_models() -> None:
    import json

    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.output)
    question = schema["$defs"]["Question"]
    assert question["additionalProperties"] is False
    assert "Stable slug" in question["properties"]["id"]["description"]
    assert set(question["properties"]["type"]["$ref"].split("/")[-1:]) == {"QuestionType"}


def test_bundled_content_root_is_the_checkout() -> None:
    from kdquiz.core.locations import bundled_content_root

    assert bundled_content_root() == ROOT


def test_braces_in_prompts(tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    path = course / "questions" / "basics.yaml"
    text = path.read_text()
    text = text.replace(
        '"What is softmax([0, 0]) for entry 0?"', '"What is softmax over {0, 0} for entry 0?"'
    )
    text = text.replace(
        '"softmax([{a}, 0]) for entry 0 at T = {T}?"',
        '"softmax over {{a, 0}} = {a} at T = {T} ({0})?"',
    )
    path.write_text(text)
    content = load_content(course)
    messages = [p.message for p in content.errors]
    assert messages == ["a template prompt can only use {param}; write literal braces as {{ }}"], (
        messages
    )


def test_did_you_mean_ignores_case() -> None:
    from kdquiz.core.problems import did_you_mean

    assert did_you_mean("KD_Loss", ["kd_loss", "dkd_loss"]) == " (did you mean 'kd_loss'?)"
    assert did_you_mean("Tolerence", ["tolerance", "value"]) == " (did you mean 'tolerance'?)"
    assert did_you_mean("zzz", ["kd_loss"]) == ""


def test_a_repeated_id_in_one_file_is_reported_at_the_repeat(tmp_path: Path) -> None:
    import shutil

    tree = tmp_path / "course"
    shutil.copytree(COURSE, tree)
    path = tree / "questions" / "basics.yaml"
    text = path.read_text(encoding="utf-8")
    first_id = re.search(r"^  - id: (\S+)$", text, flags=re.M)
    assert first_id
    lines = text.splitlines()
    second = next(
        i for i, line in enumerate(lines) if line.startswith("  - id: ") and first_id[1] not in line
    )
    lines[second] = f"  - id: {first_id[1]}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["--content", str(tree), "validate"])
    assert result.exit_code == 1
    expected = f"questions/basics.yaml:{second + 1}:"
    assert any(
        row.startswith(expected) and "duplicate question id" in row
        for row in result.output.splitlines()
    ), result.output


def test_links_to_planned_exercises_are_a_warning_at_the_planned_list(tmp_path: Path) -> None:
    import shutil

    tree = tmp_path / "course"
    shutil.copytree(COURSE, tree)
    (tree / "exercises" / "info.yaml").write_text(
        "format_version: 1\norder: [toy, negate]\nplanned: [later]\n", encoding="utf-8"
    )
    path = tree / "questions" / "basics.yaml"
    text = path.read_text(encoding="utf-8")
    assert "related_exercises: [toy]" in text
    path.write_text(text.replace("related_exercises: [toy]", "related_exercises: [later]", 1))
    result = runner.invoke(app, ["--content", str(tree), "validate"])
    assert result.exit_code == 0, result.output
    assert (
        "exercises/info.yaml:3:10: warning: questions link to planned exercises not written yet: "
        "later" in result.output
    ), result.output
