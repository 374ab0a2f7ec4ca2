"""Running a real course: grades that replay exactly from their recorded seed, cohort results
that count a submission that did not load as 0 of the suite's points, and graders exported to
Gradescope and GitHub Actions run the way those platforms run them (their environment, their
layout, their Python), under the isolation the instructor chose."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core.content import load_content
from kdquiz.grading.batch import grade_many
from kdquiz.grading.judge import GradeOptions, SubmissionResult
from kdquiz.grading.plugin import TestResult as Outcome
from kdquiz.grading.plugin import seeds_for_test
from kdquiz.grading.worker import Zygote

from .conftest import COURSE, FIXTURES

pytestmark = pytest.mark.usefixtures("shared_worker")  # not about starting a worker

runner = CliRunner()
PLAIN_COURSE = FIXTURES / "plain_course"
TORCH_STUB = FIXTURES / "torch_stub"
PYTHON_310 = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python"
GOOD = "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n    return x * 2\n"
# Wrong only when the first entry of a drawn matrix is above 1: its score depends on the draw.
LUCKY = (
    "def double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n"
    "    return x * 3 if float(x[0, 0]) > 1.0 else x * 2\n"
)
# What GitHub Classroom's autograding-command-grader gives its command (src/runner.js), written
# out here independently of kdquiz.grading.platforms so that a drift is caught.
COMMAND_GRADER_VARIABLES = {"PATH", "HOME", "FORCE_COLOR", "DOTNET_CLI_HOME", "DOTNET_NOLOGO"}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def _lucky_fails(run_seed: int) -> bool:
    """Whether LUCKY fails 'doubles random matrices' with this run seed, computed from the seed
    flow alone (the suite draws torch.randn(3, 4) from each of the test's seeds)."""
    import torch

    from kdquiz.grading.suite import seeded

    seeds = seeds_for_test(run_seed, "test_hidden.py::test_matches")
    return any(float(torch.randn(3, 4, generator=seeded(s))[0, 0]) > 1.0 for s in seeds)


# Reproducible grades ----------------------------------------------------------------------------


def test_a_recorded_seed_replays_a_grade_that_depends_on_the_draw(
    zygote: Zygote, tmp_path: Path
) -> None:
    exercise = load_content(COURSE).exercises["toy"]
    lucky = tmp_path / "lucky.py"
    lucky.write_text(LUCKY)
    failing = next(s for s in range(1, 200) if _lucky_fails(s))
    passing = next(s for s in range(1, 200) if not _lucky_fails(s))
    for seed, score in ((failing, 1), (passing, 2)):
        first = grade_many(exercise, [lucky], GradeOptions(seed=seed), zygote=zygote)[0]
        assert (first.seed, first.score) == (seed, score)
        replay = grade_many(exercise, [lucky], GradeOptions(seed=first.seed), zygote=zygote)[0]
        assert [t.as_dict() for t in replay.tests] == [t.as_dict() for t in first.tests]
        assert replay.score == first.score


def test_a_run_grades_every_submission_with_one_fresh_seed(zygote: Zygote, tmp_path: Path) -> None:
    exercise = load_content(COURSE).exercises["toy"]
    paths = []
    for name in ("a", "b"):
        paths.append(tmp_path / f"{name}.py")
        paths[-1].write_text(GOOD)
    first = grade_many(exercise, paths, GradeOptions(), zygote=zygote)
    second = grade_many(exercise, paths, GradeOptions(), zygote=zygote)
    assert first[0].seed == first[1].seed is not None
    assert second[0].seed != first[0].seed  # fresh between runs (2^-31 to collide)


def test_grade_seed_from_the_command_line_is_recorded_in_every_format(
    course: Path, tmp_path: Path
) -> None:
    lucky = tmp_path / "lucky.py"
    lucky.write_text(LUCKY)
    seed = next(s for s in range(1, 200) if _lucky_fails(s))
    args = ["--content", str(course), "grade", "toy", str(lucky), "--seed", str(seed)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).output)
    assert data["submissions"][0]["seed"] == seed and data["submissions"][0]["score"] == 1
    junit = runner.invoke(app, [*args, "-f", "junit"]).output
    assert f'name="seed" value="{seed}"' in junit
    gradescope = json.loads(runner.invoke(app, [*args, "-f", "gradescope"]).output)
    assert gradescope["extra_data"]["seed"] == seed
    text = tmp_path / "out.txt"
    result = runner.invoke(app, [*args, "-o", str(text)])
    assert result.exit_code == 1 and f"seed {seed}" in text.read_text()


# Cohort results ---------------------------------------------------------------------------------


def test_a_submission_that_did_not_load_scores_zero_of_the_suites_points(
    course: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def double(x)\n")
    alone = runner.invoke(
        app, ["--content", str(course), "grade", "toy", str(broken), "-f", "json"]
    )
    submission = json.loads(alone.output)["submissions"][0]
    assert (submission["score"], submission["max_score"]) == (0, 2)  # no other submission loaded
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    files = [str(good), str(broken)]
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(
                    app, ["--content", str(course), "grade", "toy", *files, "-f", "csv"]
                ).output
            )
        )
    )
    assert rows[1]["max_score"] == "2" and rows[1]["doubles random matrices"] == "0"
    junit = runner.invoke(app, ["--content", str(course), "grade", "toy", *files, "-f", "junit"])
    suite = ET.fromstring(junit.output.split("\n", 1)[1]).findall("testsuite")[1]
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (properties["score"], properties["max_score"]) == ("0", "2")


def test_check_of_a_file_that_does_not_load_scores_zero_of_the_suites_points(
    course: Path,
) -> None:
    """`check` agrees with `grade`: a syntax error is 0 of the suite's 2 points, not 0/0."""
    assert runner.invoke(app, ["--content", str(course), "exercise", "start", "toy"]).exit_code == 0
    (Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py").write_text("def double(x)\n")
    result = runner.invoke(app, ["--content", str(course), "check", "toy"])
    assert result.exit_code == 1 and "0/2" in result.output and "0/0" not in result.output


def test_the_cohort_report_counts_loaded_submissions_and_groups_messages() -> None:
    from kdquiz.grading.exports import cohort_report, most_common_message

    message, count = most_common_message(
        [
            "value differs on B=8 (max abs error 0.21)",
            "value differs on B=8 (max abs error 0.34)",
            "returned a list, expected a torch.Tensor",
            "value differs on B=8 (max abs error 1.5e-03)",
        ]
    )
    assert message.startswith("value differs") and count == 3

    def failing(error: float) -> SubmissionResult:
        test = Outcome("matches", "fail", f"value differs (max abs error {error})")
        return SubmissionResult("s.py", "fail", 0, 1, 0.1, "strict", [test])

    unloaded = SubmissionResult("x.py", "error", 0, 1, 0.0, "none", [], "syntax error")
    page = cohort_report([failing(0.2), failing(0.3), unloaded], {"exercise": "toy"})
    assert "3 submissions, 2 loaded" in page and "(2/2)" in page
    assert "max abs error 0.2" in page or "max abs error 0.3" in page


def test_printed_output_is_capped_and_escaped_in_every_export() -> None:
    from kdquiz.grading import exports

    noisy = "loss \x1b[31m<&>\n" + "x" * 10_000
    result = SubmissionResult(
        "s.py", "pass", 1, 1, 0.1, "strict", [Outcome("t", "pass")], output=noisy, seed=7
    )
    meta = {"exercise": "toy"}
    printed = json.loads(exports.to_json([result], meta))["submissions"][0]["output"]
    assert printed.startswith("loss ?[31m<&>") and len(printed) <= exports.OUTPUT_CAP
    assert "Your code printed" in json.loads(exports.to_gradescope([result], meta))["output"]
    junit = ET.fromstring(exports.to_junit([result], meta).split("\n", 1)[1])
    assert junit.find("testsuite/system-out").text.startswith("loss ?[31m<&>")


def test_per_test_weights_flow_into_every_export(tmp_path: Path) -> None:
    course = tmp_path / "plain"
    shutil.copytree(PLAIN_COURSE, course)
    mutant = course / "solutions" / "plus" / "mutants" / "positive_only.py"
    args = ["--content", str(course), "grade", "plus", str(mutant)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).output)["submissions"][0]
    assert (data["score"], data["max_score"]) == (1, 3) and data["tests"][1]["weight"] == 2
    gradescope = json.loads(runner.invoke(app, [*args, "-f", "gradescope"]).output)
    assert [t["max_score"] for t in gradescope["tests"]] == [1.0, 2.0]
    assert gradescope["score"] == 1.0


# Grading a cohort laid out one folder per student ----------------------------------------------


def test_grade_takes_one_file_per_student_folder_and_says_which(
    course: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    (cohort / "alice").mkdir(parents=True)
    (cohort / "alice" / "toy.py").write_text(GOOD)
    (cohort / "alice" / "notes.py").write_text("x = 1\n")
    (cohort / "bob").mkdir()
    (cohort / "bob" / "my_answer.py").write_text("def double(x):\n    return x * 3\n")
    (cohort / "carol").mkdir()
    (cohort / "carol" / "a.py").write_text("")
    (cohort / "carol" / "b.py").write_text("")
    result = runner.invoke(
        app, ["--content", str(course), "grade", "toy", str(cohort), "-f", "json"]
    )
    paths = [s["path"] for s in json.loads(result.stdout)["submissions"]]
    assert paths == [str(cohort / "alice"), str(cohort / "bob")]
    assert f"alice: grading {cohort / 'alice' / 'toy.py'}" in result.stderr
    assert f"bob: grading {cohort / 'bob' / 'my_answer.py'}" in result.stderr
    assert "carol: skipped" in result.stderr


# Authoring errors that point at the fix ----------------------------------------------------------


def test_a_broken_hidden_suite_is_reported_at_its_file_and_line(
    course: Path, tmp_path: Path
) -> None:
    suite = course / "exercises" / "toy" / "test_hidden.py"
    original = suite.read_text()
    suite.write_text(original + "\ndef broken(:\n")
    validate = runner.invoke(app, ["--content", str(course), "validate"])
    assert validate.exit_code != 0
    line = len(original.splitlines()) + 2
    assert (
        f"exercises/toy/test_hidden.py:{line}:" in validate.output and "syntax" in validate.output
    )
    suite.write_text(original + "\nimport no_such_module_here\n")
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    graded = runner.invoke(app, ["--content", str(course), "grade", "toy", str(good)])
    assert graded.exit_code == 2
    assert f"test_hidden.py:{line}: ModuleNotFoundError" in graded.output


def test_a_suite_pytest_refuses_to_start_says_why(course: Path, tmp_path: Path) -> None:
    """A conftest.py beside the suite that pytest refuses before collecting anything: the
    instructor reads pytest's own error, not a message that sends them to the same command."""
    (course / "exercises" / "toy" / "conftest.py").write_text(
        "def pytest_no_such_hook(config):\n    pass\n"
    )
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    graded = runner.invoke(app, ["--content", str(course), "grade", "toy", str(good)])
    assert graded.exit_code == 2
    assert "PluginValidationError: unknown hook 'pytest_no_such_hook'" in graded.output
    assert "Traceback" not in graded.output and "dev check" not in graded.output


def test_duplicate_titles_and_unlisted_or_twice_listed_mutants_are_reported(course: Path) -> None:
    suite = course / "exercises" / "toy" / "test_hidden.py"
    suite.write_text(
        suite.read_text() + '\n\ndef test_again(submission):\n    """doubles random matrices"""\n'
    )
    (course / "solutions" / "toy" / "mutants" / "forgotten.py").write_text(
        "def double(x):\n    return x\n"
    )
    meta = course / "exercises" / "toy" / "exercise.yaml"
    meta.write_text(
        meta.read_text().replace(
            "    misconception: multiplies by three\n",
            "    misconception: multiplies by three\n  - file: triple.py\n    misconception: again\n",
        )
    )
    problems = [str(p) for p in load_content(course).problems]
    assert any("also the title of the test on line 7" in p for p in problems), problems
    assert any("forgotten.py is not listed" in p for p in problems), problems
    assert any("'triple.py' is listed twice" in p for p in problems), problems


# Gradescope ------------------------------------------------------------------------------------


def _gradescope_layout(course: Path, exercise: str, tmp_path: Path, *extra: str) -> Path:
    bundle = tmp_path / "autograder.zip"
    result = runner.invoke(
        app, ["--content", str(course), "export", "gradescope", exercise, "-o", str(bundle), *extra]
    )
    assert result.exit_code == 0, result.output
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh", "grade.sh", "classroom.sh"):
        (root / "source" / name).chmod(0o755)
    return root


def _python_path_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return env


@pytest.mark.slow
def test_gradescope_basic_isolation_writes_results_after_every_process_is_gone(
    course: Path, tmp_path: Path
) -> None:
    root = _gradescope_layout(course, "toy", tmp_path, "--isolation", "basic")
    results = root / "results" / "results.json"
    beat = tmp_path / "beat"
    # A submission that leaves a daemon behind (new session, double fork) which keeps
    # rewriting results.json with a score of 999 for five seconds.
    (root / "submission" / "toy.py").write_text(
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        for _ in range(50):\n"
        f"            open({str(beat)!r}, 'a').write('x')\n"
        "            try:\n"
        f"                open({str(results)!r}, 'w').write('{{\"score\": 999}}')\n"
        "            except OSError:\n"
        "                pass\n"
        "            time.sleep(0.1)\n"
        "        os._exit(0)\n"
        "    os._exit(0)\n"
        "def double(x):\n    return x * 3\n"
    )
    env = {**_python_path_env(), "AUTOGRADER_ROOT": str(root)}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True)
    assert beat.exists()  # the daemon did run while the submission was graded
    size = beat.stat().st_size
    time.sleep(0.6)
    assert beat.stat().st_size == size  # ... and was dead before the results were written
    data = json.loads(results.read_text())
    assert data["score"] == 0.0 and data["extra_data"]["isolation"] == "basic"
    assert "isolation: basic" in data["output"]


def test_gradescope_says_not_graded_when_strict_isolation_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdquiz.grading import platforms

    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "toy.py").write_text(GOOD)
    stderr = "error: strict isolation is not available here (unshare: Operation not permitted)\n"
    monkeypatch.setattr(platforms, "grade_isolated", lambda *args, **kwargs: (2, None, stderr))
    platforms.run_gradescope(root, "toy", "strict", "visible")
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 0.0 and data["output"].startswith("Not graded")
    assert "--isolation basic" in data["output"] and "Operation not permitted" in data["output"]


@pytest.mark.slow
@pytest.mark.skipif(not PYTHON_310.exists(), reason="no Python 3.10 interpreter (pyenv)")
def test_gradescope_autograder_under_python_310(tmp_path: Path) -> None:
    """Gradescope's standard image runs Python 3.10: setup.sh builds the grader's venv with it and
    run_autograder grades with it. PyPI's torch for 3.10 is the multi-gigabyte CUDA build, so a
    stand-in torch (tests/fixtures/torch_stub) is installed instead and the exercise is one that
    exchanges plain Python values; everything else — kdquiz's CLI, content loading, the judge, the
    warm worker and sandbox, the pytest plugin, the exports and the platform runner — is the
    bundle's own code running under 3.10."""
    root = _gradescope_layout(PLAIN_COURSE, "plus", tmp_path)
    source = root / "source"
    requirements = source / "requirements.txt"
    requirements.write_text(
        "".join(
            line + "\n"
            for line in requirements.read_text().splitlines()
            if not line.startswith(("torch", "numpy", "--extra-index-url"))
        )
    )
    env = {**os.environ, "KDQUIZ_PYTHON": str(PYTHON_310), "PIP_CACHE_DIR": str(tmp_path / "pip")}
    subprocess.run(["bash", str(source / "setup.sh")], env=env, check=True, timeout=600)
    venv_python = source / ".venv" / "bin" / "python"
    version = subprocess.run(
        [str(venv_python), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "(3, 10)"
    site = next((source / ".venv" / "lib").glob("python3.10/site-packages"))
    shutil.copytree(TORCH_STUB / "torch", site / "torch")
    (root / "submission" / "plus.py").write_text(
        (PLAIN_COURSE / "solutions" / "plus" / "mutants" / "positive_only.py").read_text()
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "AUTOGRADER_ROOT": str(root)}
    subprocess.run(["bash", str(source / "run_autograder")], env=env, check=True, timeout=300)
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 1.0, data
    assert [t["max_score"] for t in data["tests"]] == [1.0, 2.0]
    assert data["extra_data"]["isolation"] in ("strict", "basic")


# GitHub Actions (and Classroom) -----------------------------------------------------------------


@pytest.mark.slow
def test_github_workflow_grades_with_only_the_command_graders_environment(
    course: Path, tmp_path: Path
) -> None:
    from kdquiz.grading.platforms import COMMAND_GRADER_ENV

    assert set(COMMAND_GRADER_ENV) == COMMAND_GRADER_VARIABLES
    repo = tmp_path / "template"
    home = tmp_path / "home"
    result = runner.invoke(
        app,
        ["--content", str(course), "export", "github-classroom", "toy", "-o", str(repo)],
    )
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    assert "RUNNER_TEMP" not in json.dumps(steps)
    grade_step = next(s for s in steps if s.get("id") == "kdquiz")
    reporter = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    assert reporter["with"]["runners"] == "kdquiz"
    assert any("upload-artifact" in s.get("uses", "") for s in steps)
    # The bundle, where the workflow's fetch step puts it.
    with zipfile.ZipFile(tmp_path / "kdquiz-grader-toy.zip") as archive:
        archive.extractall(home / "kdquiz-grader")
    (repo / "toy.py").write_text(LUCKY)
    # 1. The grading command exactly as the command grader runs it: a shell, the checkout as the
    # working directory, and only these variables.
    command = next(
        line.split("env -i ", 1)[1] for line in grade_step["run"].splitlines() if "env -i" in line
    )
    grader_env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(home),
        "FORCE_COLOR": "true",
        "DOTNET_CLI_HOME": "/tmp",
        "DOTNET_NOLOGO": "true",
    }
    done = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=grader_env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "kdquiz toy:" in done.stdout
    # 2. The whole step as Actions runs it (GITHUB_OUTPUT and the job summary are files).
    output, summary = tmp_path / "github_output", tmp_path / "summary.md"
    step_env = {**grader_env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-e", "-c", grade_step["run"]], cwd=repo, env=step_env, check=True)
    encoded = output.read_text().split("result=", 1)[1].strip()
    reported = json.loads(base64.b64decode(encoded))
    points = [t["score"] for t in reported["tests"]]
    assert reported["max_score"] == 2 and points in ([0, 1], [1, 1])  # per test, not all or nothing
    assert "| rejects a 1-D tensor | 1/1 |" in summary.read_text()
    assert json.loads((home / "kdquiz-results" / "results.json").read_text())["submissions"]


# Suite helpers -----------------------------------------------------------------------------------


def test_value_and_gradient_helpers_say_what_went_wrong(tmp_path: Path) -> None:
    import torch

    from kdquiz.grading.proxy import LocalTransport, Submission
    from kdquiz.grading.suite import (
        Case,
        Feedback,
        expect_no_gradient,
        expect_value_and_gradient,
    )

    reference = tmp_path / "reference.py"
    reference.write_text("def loss(x, t):\n    return ((2 * x - t.detach()) ** 2).mean()\n")
    variants = {
        "right": "def loss(x, t):\n    return ((2 * x - t.detach()) ** 2).mean()\n",
        "detached": "def loss(x, t):\n    return ((2 * x.detach() - t.detach()) ** 2).mean()\n",
        "halved": "def loss(x, t):\n    return ((2 * x - t.detach()) ** 2).mean() / 2\n",
        "through_target": "def loss(x, t):\n    return ((2 * x - t) ** 2).mean()\n",
    }
    ref = {}
    exec(reference.read_text(), ref)  # noqa: S102 - the test's own reference
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    t = torch.randn(3, 4, generator=torch.Generator().manual_seed(1))
    names = {0: Case("the student logits", "学生 logits")}
    messages = {}
    for label, source in variants.items():
        path = tmp_path / f"{label}.py"
        path.write_text(source)
        function = Submission(LocalTransport(path)).loss
        try:
            result = expect_value_and_gradient(function, ref["loss"], x, t, wrt=names, case="B=3")
            expect_no_gradient(
                function.call(x, t, grad_of=[0, 1]), 1, of=Case("the target", "目标"), case="B=3"
            )
            messages[label] = "" if result.grads.get(0) is not None else "no grads"
        except Feedback as exc:
            messages[label] = exc.en + " | " + exc.zh
    assert messages["right"] == ""
    assert messages["detached"].startswith("no gradient reached the student logits on B=3")
    assert "梯度没有传到学生 logits" in messages["detached"]
    assert messages["halved"].startswith("value differs on B=3")
    assert messages["through_target"].startswith("a gradient flowed into the target on B=3")
    assert "梯度传到了目标" in messages["through_target"]


def test_yaml_mistakes_get_hints_that_point_at_the_fix(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    question = (
        "format_version: 1\ntopic: basics\ntitle: {en: T, zh: 题}\nquestions:\n"
        "  - id: mis-indent\n    type: single\n    difficulty: 1\n    prompt: {en: Q?, zh: 问？}\n"
        "    choices:\n      - text: {en: a, zh: 甲}\n      - text: {en: b, zh: 乙}\n"
        "        why: {en: because, zh: 因为}\n    correct: true\n"
    )
    (course / "questions" / "indent.yaml").write_text(question)
    colon = question.replace(
        "prompt: {en: Q?, zh: 问？}", "prompt:\n      en: Which: this?\n      zh: 哪个？"
    )
    (course / "questions" / "colon.yaml").write_text(colon.replace("mis-indent", "colon"))
    problems = [str(p) for p in load_content(course).problems]
    assert any(
        p.startswith(
            "questions/indent.yaml:13:5: 'correct' is not expected here: check its indentation"
        )
        for p in problems
    ), problems
    assert not any("did you mean 'correct'" in p for p in problems)
    assert any("colon.yaml:9" in p and "must be quoted" in p for p in problems), problems


def test_one_wrong_exercise_id_is_one_error(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    meta = course / "exercises" / "toy" / "exercise.yaml"
    meta.write_text(meta.read_text().replace("id: toy", "id: toyy"))
    errors = [str(p) for p in load_content(course).errors]
    assert errors == [
        "exercises/toy/exercise.yaml:2:5: id 'toyy' differs from its folder name 'toy': "
        "rename one to match the other"
    ]


def test_new_writes_only_into_an_instructors_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    refused = runner.invoke(app, ["new", "exercise", "my_ex"])
    assert refused.exit_code == 2 and "never into kdquiz's" in refused.output
    (tmp_path / "kdquiz.yaml").write_text("format_version: 1\nextends: bundled\n")
    shadow = runner.invoke(app, ["new", "exercise", "kd_loss"])
    assert shadow.exit_code == 2 and "--replace" in shadow.output
    assert not (tmp_path / "exercises" / "kd_loss").exists()
    created = runner.invoke(app, ["new", "exercise", "kd_loss", "--replace"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "exercises" / "kd_loss" / "exercise.yaml").is_file()  # found via cwd
    warnings = [str(p) for p in load_content(tmp_path, questions=False).warnings]
    assert any("replaces the bundled exercise" in w for w in warnings), warnings


def test_an_extending_tree_keeps_only_the_bundled_exercises_it_lists(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "kdquiz.yaml").write_text(
        "format_version: 1\nextends: bundled\nbundled_exercises: [fusion, kd_loss]\n"
    )
    content = load_content(tmp_path, questions=False)
    assert set(content.exercises) == {"fusion", "kd_loss"} and not content.errors
    (tmp_path / "kdquiz.yaml").write_text(
        "format_version: 1\nextends: bundled\nbundled_exercises: [fusoin]\n"
    )
    errors = [str(p) for p in load_content(tmp_path, questions=False).errors]
    assert errors == [
        "kdquiz.yaml:3:21: 'fusoin' is not a bundled exercise (did you mean 'fusion'?)"
    ]
