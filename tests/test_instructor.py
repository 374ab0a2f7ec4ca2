"""Instructors: scaffolds that validate, cohort grading with exports, and the Gradescope and
GitHub Classroom bundles run in the layouts those services use."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core.content import load_content

from .conftest import COURSE

pytestmark = pytest.mark.usefixtures("shared_worker")  # not about starting a worker

runner = CliRunner()
GOOD = "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n    return x * 2\n"
WRONG = "def double(x):\n    return x * 3\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "alice.py").write_text(GOOD)
    (folder / "bob.py").write_text(WRONG)
    (folder / "carol.py").write_text("def double(x)\n")
    (folder / "dave.py").write_text("import os\nos._exit(3)\n")
    return folder


@pytest.mark.parametrize("kind", ["single", "multiple", "short", "numeric", "code"])
def test_new_question_validates_with_only_todo_warnings(course: Path, kind: str) -> None:
    result = runner.invoke(
        app, ["--content", str(course), "new", "question", "--topic", "basics", "--kind", kind]
    )
    assert result.exit_code == 0, result.output
    content = load_content(course)
    assert not content.errors, [str(p) for p in content.errors]
    assert any("TODO left" in p.message for p in content.warnings)
    assert content.questions["basics-new-1"].type.value == kind
    assert "# stable: progress is keyed by it" in (course / "questions" / "basics.yaml").read_text()


def test_new_topic_file_and_second_question_get_fresh_ids(course: Path) -> None:
    for _ in range(2):
        runner.invoke(
            app,
            [
                "--content",
                str(course),
                "new",
                "question",
                "--topic",
                "new-topic",
                "--kind",
                "short",
            ],
        )
    content = load_content(course)
    assert {"new-topic-new-1", "new-topic-new-2"} <= set(content.questions)
    assert not content.errors


def test_new_exercise_validates_and_its_course_is_proven(
    course: Path, shared_worker: object
) -> None:
    result = runner.invoke(
        app, ["--content", str(course), "new", "exercise", "my_loss", "--topic", "basics"]
    )
    assert result.exit_code == 0, result.output
    content = load_content(course)
    assert not content.errors and "my_loss" in content.exercises
    assert list(content.exercises)[-1] == "my_loss"
    proven = runner.invoke(app, ["--content", str(course), "dev", "check", "my_loss"])
    assert proven.exit_code == 0, proven.output
    again = runner.invoke(app, ["--content", str(course), "new", "exercise", "my_loss"])
    assert again.exit_code == 2 and "already exists" in again.output


def test_an_instructor_tree_can_extend_the_bundled_content(tmp_path: Path) -> None:
    tree = tmp_path / "mine"
    tree.mkdir()
    (tree / "kdquiz.yaml").write_text("format_version: 1\nextends: bundled\n")
    runner.invoke(app, ["--content", str(tree), "new", "question", "--topic", "my-course"])
    bundled = load_content(Path(__file__).resolve().parent.parent)
    mine = load_content(tree)
    assert len(mine.questions) == len(bundled.questions) + 1
    assert set(bundled.exercises) <= set(mine.exercises)
    assert not mine.errors


def test_a_question_added_to_a_bundled_topic_keeps_its_title(tmp_path: Path) -> None:
    tree = tmp_path / "mine"
    tree.mkdir()
    (tree / "kdquiz.yaml").write_text("format_version: 1\nextends: bundled\n")
    result = runner.invoke(
        app, ["--content", str(tree), "new", "question", "--topic", "fundamentals"]
    )
    assert result.exit_code == 0, result.output
    bundled = load_content(Path(__file__).resolve().parent.parent).topics["fundamentals"]
    mine = load_content(tree)
    assert mine.topics["fundamentals"].title == bundled.title
    assert mine.topic_title("fundamentals", "zh") == bundled.title.zh
    assert "fundamentals-new-1" in mine.questions and not mine.errors


def test_cohort_grading_in_parallel_keeps_order_and_isolates_crashes(
    course: Path, cohort: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    result = runner.invoke(
        app,
        [
            "--content",
            str(course),
            "grade",
            "toy",
            str(cohort),
            "--jobs",
            "2",
            "--format",
            "json",
            "--report",
            str(report),
            "--timeout",
            "60",
        ],
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    statuses = {Path(s["path"]).name: s["status"] for s in data["submissions"]}
    assert [Path(s["path"]).name for s in data["submissions"]] == [
        "alice.py",
        "bob.py",
        "carol.py",
        "dave.py",
    ]
    assert statuses == {
        "alice.py": "pass",
        "bob.py": "fail",
        "carol.py": "error",
        "dave.py": "error",
    }
    assert data["submissions"][0]["sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    assert len(data["suite_sha256"]) == 64 and data["kdquiz_version"] and data["torch_version"]
    html = report.read_text()
    assert (
        "<svg" in html
        and "rejects a 1-D tensor" in html
        and "check the number of dimensions" in html
    )


def test_grading_does_not_load_the_question_bank(
    course: Path, cohort: Path, shared_worker: object
) -> None:
    """A broken (or huge) question bank neither stops nor slows grading: grade loads exercises
    only, while validate still reports the bank."""
    (course / "questions" / "zzz.yaml").write_text("topic: zzz\nquestions: [\n", encoding="utf-8")
    assert runner.invoke(app, ["--content", str(course), "validate"]).exit_code == 1
    result = runner.invoke(
        app, ["--content", str(course), "grade", "toy", str(cohort / "alice.py"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["submissions"][0]["status"] == "pass"


def test_suite_hash_changes_when_the_suite_changes(course: Path, shared_worker: object) -> None:
    from kdquiz.grading.judge import suite_digest

    exercise = load_content(course).exercises["toy"]
    before = suite_digest(exercise)
    exercise.suite_path.write_text(exercise.suite_path.read_text() + "\n# edited\n")
    assert suite_digest(exercise) != before


@pytest.mark.parametrize("fmt", ["csv", "junit", "gradescope"])
def test_export_formats(course: Path, cohort: Path, fmt: str, shared_worker: object) -> None:
    files = [str(cohort / "alice.py"), str(cohort / "bob.py")]
    result = runner.invoke(app, ["--content", str(course), "grade", "toy", *files, "--format", fmt])
    assert result.exit_code == 1
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert [r["status"] for r in rows] == ["pass", "fail"]
        assert rows[1]["doubles random matrices"] == "0" and rows[1]["rejects a 1-D tensor"] == "0"
    elif fmt == "junit":
        root = ET.fromstring(result.output.split("\n", 1)[1])
        suites = root.findall("testsuite")
        assert suites[0].get("failures") == "0" and suites[1].get("failures") == "2"
        assert suites[1].find("testcase/failure") is not None
    else:
        data = json.loads(result.output)
        first = data["submissions"][0]["results"]
        assert first["score"] == 2.0 and first["tests"][0]["status"] == "passed"


def _python_path_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return env


@pytest.mark.slow
def test_gradescope_autograder_runs_in_gradescopes_layout(course: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "autograder.zip"
    result = runner.invoke(
        app,
        [
            "--content",
            str(course),
            "export",
            "gradescope",
            "toy",
            "-o",
            str(bundle),
            "--test-visibility",
            "after_due_date",
        ],
    )
    assert result.exit_code == 0, result.output
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
        assert {"setup.sh", "run_autograder", "requirements.txt"} <= set(archive.namelist())
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111
    assert subprocess.run(["bash", "-n", str(root / "source" / "setup.sh")]).returncode == 0
    env = {**_python_path_env(), "AUTOGRADER_ROOT": str(root)}
    results = root / "results" / "results.json"
    # No submission: a clear message, score 0.
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True)
    assert "No submission to grade" in json.loads(results.read_text())["output"]
    (root / "submission" / "toy.py").write_text(WRONG)
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True)
    data = json.loads(results.read_text())
    assert data["score"] == 0.0 and len(data["tests"]) == 2
    assert data["tests"][0]["visibility"] == "after_due_date"
    (root / "submission" / "toy.py").write_text(GOOD)
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True)
    assert json.loads(results.read_text())["score"] == 2.0


@pytest.mark.slow
def test_github_classroom_workflow_and_bundle(course: Path, tmp_path: Path) -> None:
    repo = tmp_path / "template"
    result = runner.invoke(
        app, ["--content", str(course), "export", "github-classroom", "toy", "-o", str(repo)]
    )
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    assert any(s.get("id") == "kdquiz" for s in steps)  # run as in tests/test_course.py
    assert (repo / "toy.py").exists() and not list(
        repo.rglob("*.zip")
    )  # the hidden suite stays out
    bundle = tmp_path / "kdquiz-grader-toy.zip"
    runner_temp = tmp_path / "runner"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(runner_temp / "grader")
    grade = ["bash", str(runner_temp / "grader" / "grade.sh"), "toy.py"]
    env = _python_path_env()
    assert (
        subprocess.run(grade, cwd=repo, env=env, capture_output=True).returncode == 1
    )  # the starter
    (repo / "toy.py").write_text(GOOD)
    assert subprocess.run(grade, cwd=repo, env=env, capture_output=True).returncode == 0
    inside = runner.invoke(
        app,
        [
            "--content",
            str(course),
            "export",
            "github-classroom",
            "toy",
            "-o",
            str(repo),
            "--bundle",
            str(repo / "grader.zip"),
        ],
    )
    assert inside.exit_code == 2 and "outside the template repository" in inside.output
