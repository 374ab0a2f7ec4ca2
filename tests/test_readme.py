"""Every command example in the README's learner sections runs as written (issue 14): each
`kdquiz ...` the README shows a learner is listed here with a concrete instance, and runs against
the bundled content without a traceback and with the exit code the README promises."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app, hoist_global_options

from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("shared_worker")  # not about starting a worker

runner = CliRunner()
README = (ROOT / "README.md").read_text(encoding="utf-8")
LEARNER = README[README.index("## Using kdquiz") : README.index("## For instructors")]

# README form -> (concrete commands, each: argv after `kdquiz`, stdin, allowed exit codes).
# "{tmp}" is a temporary folder.
EXAMPLES: dict[str, list[tuple[str, str, set[int]]]] = {
    "kdquiz": [],  # opens the app: driven by tests/functional
    "kdquiz --content DIR ...": [("--content {course} quiz -k numeric -d 1", "0.5\n", {0})],
    "kdquiz --lang zh ...": [("--lang zh stats", "", {0}), ("stats --lang zh", "", {0})],
    "kdquiz quiz [-t TOPIC] [-d 1..3] [-k single\\|multiple\\|short\\|numeric\\|code] [-n COUNT]": [
        ("quiz -t fundamentals -d 1 -k single -n 1", "a\n", {0}),
        ("quiz -k short -n 1", "my answer\n3\n", {0}),
    ],
    "kdquiz review [--new N] [--limit N]": [("review --new 1 --limit 1", "a\n1\n", {0})],
    "kdquiz progress": [("progress", "", {0})],
    "kdquiz stats [--json]": [("stats", "", {0}), ("stats --json", "", {0})],
    "kdquiz progress export FILE": [
        ("progress export {tmp}/p.json", "", {0}),
        ("progress import {tmp}/p.json", "", {0}),
        ("progress reset", "n\n", {1}),
        ("progress reset --yes", "", {0}),
    ],
    "kdquiz validate [PATH...]": [("validate", "", {0})],
    "kdquiz schema": [("schema", "", {0})],
    "kdquiz exercise list": [("exercise list", "", {0})],
    "kdquiz exercise start ID": [("exercise start kd_loss", "", {0})],
    "kdquiz check ID [--watch]": [("check kd_loss", "", {1})],  # --watch: test_daily_replay
    "kdquiz hint ID": [("hint kd_loss", "", {0})],
    "kdquiz solution ID [--give-up]": [
        ("solution kd_loss", "", {1}),
        ("solution kd_loss --give-up", "", {0}),
    ],
    "kdquiz grade ID FILE... [--format text\\|json\\|csv\\|junit\\|gradescope] [--jobs N] "
    "[--timeout S] [--isolation strict]": [
        ("grade kd_loss {workspace}/kd_loss.py --format json", "", {1})
    ],
    "kdquiz dev check [ID...]": [],
    "kdquiz interview": [],
    "kdquiz export anki -o kd.apkg [--lang en\\|zh\\|both] [-t TOPIC]": [
        ("export anki -o {tmp}/kd.apkg --lang both -t soft-targets", "", {0})
    ],
    "kdquiz serve [--host 127.0.0.1] [--port 8000]": [],  # tests/functional/test_serve_browser.py
    "kdquiz doctor": [
        ("doctor", "", {0})
    ],  # the README's interview commands run in tests/test_interview.py  # proving a whole exercise: .ci/run and `kdquiz dev check`
}


def test_every_learner_command_of_the_readme_has_an_example_here() -> None:
    shown = set(re.findall(r"`(kdquiz[^`]*)`", LEARNER))
    assert shown == set(EXAMPLES), (shown - set(EXAMPLES), set(EXAMPLES) - shown)


def _run(command: str, stdin: str, tmp: Path) -> tuple[int, str]:
    from .conftest import COURSE

    values = {"tmp": tmp, "course": COURSE, "workspace": os.environ["KDQUIZ_WORKSPACE"]}
    argv = hoist_global_options(shlex.split(command.format(**values)))
    result = runner.invoke(app, argv, input=stdin)
    return result.exit_code, result.output


@pytest.mark.slow
def test_the_readme_examples_run_as_written(tmp_path: Path) -> None:
    for form, examples in EXAMPLES.items():
        for command, stdin, codes in examples:
            code, output = _run(command, stdin, tmp_path)
            assert code in codes, (form, command, code, output)
            assert "Traceback" not in output and "internal error" not in output, (command, output)


def test_the_scripted_quiz_and_the_first_exercise_run_as_written() -> None:
    scripted = re.search(r"A scripted quiz: `(printf [^`]*)`", LEARNER)
    assert scripted is not None
    kdquiz = f"{shlex.quote(sys.executable)} -m kdquiz"
    line = scripted.group(1).replace("| kdquiz", f"| {kdquiz}")
    done = subprocess.run(line, shell=True, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done: " in done.stdout and "no more input" not in done.stdout
    block = re.search(r"```bash\n(kdquiz exercise start.*?)```", LEARNER, re.S)
    assert block is not None
    for raw in block.group(1).splitlines():
        command = raw.split("#")[0].strip()
        if not command.startswith("kdquiz "):
            continue  # $EDITOR: the learner's own editor
        argv = shlex.split(command)[1:]
        result = runner.invoke(app, argv)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "Traceback" not in result.output


@pytest.fixture(autouse=True)
def _bundled_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KDQUIZ_CONTENT", raising=False)
