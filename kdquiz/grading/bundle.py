"""Taking an exercise's grading elsewhere: a Gradescope autograder zip, and a GitHub Classroom
workflow. Both carry kdquiz's own grading code, the exercise and its hidden suite and reference,
and grade with the same judge and sandbox as ``kdquiz grade`` (isolation degrades to what the
service's container allows, and each result says which level ran)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kdquiz.core.content import LoadedExercise

REQUIREMENTS = """\
# What kdquiz's grader needs (the TUI's packages are not required to grade).
--extra-index-url https://download.pytorch.org/whl/cpu
torch>=2.10
numpy>=1.26
pytest>=8.0
pyyaml>=6.0
pydantic>=2.7
typer>=0.15
platformdirs>=4.0
"""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once to build the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --upgrade pip
python3 -m pip install -r requirements.txt
"""

GRADE_SH = """\
#!/usr/bin/env bash
# Grade one submission with the bundled kdquiz: grade.sh SUBMISSION [FORMAT] [OUTPUT]
# Exit status as kdquiz grade: 0 pass, 1 not passing, 2 grading could not run.
here="$(cd "$(dirname "$0")" && pwd)"
PYTHONPATH="$here/kdquiz_src${{PYTHONPATH:+:$PYTHONPATH}}" KDQUIZ_HOME="${{KDQUIZ_HOME:-$here/.home}}" \\
  python3 -m kdquiz --content "$here/content" grade {exercise} "$1" \\
    --format "${{2:-text}}" ${{3:+--output "$3"}} {visibility}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: /autograder/submission -> /autograder/results/results.json
set -u
root="${{AUTOGRADER_ROOT:-/autograder}}"
source="$root/source"
results="$root/results/results.json"
mkdir -p "$root/results"
submission="$root/submission/{exercise}.py"
if [ ! -f "$submission" ]; then
  submission="$(find "$root/submission" -maxdepth 2 -name '*.py' | sort | head -n 1)"
fi
fail_json() {{
  python3 - "$results" "$1" <<'PY'
import json, sys
json.dump({{"score": 0.0, "output": sys.argv[2], "tests": [], "visibility": "visible"}}, open(sys.argv[1], "w"))
PY
}}
if [ -z "$submission" ] || [ ! -f "$submission" ]; then
  fail_json "No Python file was submitted: upload {exercise}.py."
  exit 0
fi
bash "$source/grade.sh" "$submission" gradescope "$results" > "$root/results/grader.log" 2>&1
status=$?
if [ "$status" -eq 2 ] || [ ! -s "$results" ]; then
  fail_json "The autograder could not run (exit $status): $(tail -n 3 "$root/results/grader.log" | tr '\\n' ' ')"
fi
exit 0
"""

WORKFLOW = """\
# GitHub Classroom autograding for '{exercise}' with kdquiz.
# The hidden suite must not live in the students' repositories: upload the grading bundle made by
# 'kdquiz export github-classroom {exercise}' (grader.zip) somewhere private, and give its URL (and a
# token if needed) to the classroom's organisation as the secrets KDQUIZ_BUNDLE_URL and
# KDQUIZ_BUNDLE_TOKEN.
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Fetch the grading bundle
        env:
          KDQUIZ_BUNDLE_URL: ${{{{ secrets.KDQUIZ_BUNDLE_URL }}}}
          KDQUIZ_BUNDLE_TOKEN: ${{{{ secrets.KDQUIZ_BUNDLE_TOKEN }}}}
        run: |
          curl -fsSL ${{KDQUIZ_BUNDLE_TOKEN:+-H "Authorization: Bearer $KDQUIZ_BUNDLE_TOKEN"}} "$KDQUIZ_BUNDLE_URL" -o "$RUNNER_TEMP/grader.zip"
          unzip -q "$RUNNER_TEMP/grader.zip" -d "$RUNNER_TEMP/grader"
          python -m pip install -r "$RUNNER_TEMP/grader/requirements.txt"
      - name: kdquiz {exercise}
        id: kdquiz
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: kdquiz {exercise}
          setup-command: ""
          command: bash "$RUNNER_TEMP/grader/grade.sh" {exercise}.py
          timeout: 10
          max-score: {max_score}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          KDQUIZ_RESULTS: "${{{{ steps.kdquiz.outputs.result }}}}"
        with:
          runners: kdquiz
"""


def _content_files(exercise: LoadedExercise) -> dict[str, bytes]:
    files: dict[str, bytes] = {
        "content/exercises/info.yaml": f"format_version: 1\norder: [{exercise.id}]\n".encode(),
    }
    for path in sorted(exercise.folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[f"content/exercises/{exercise.id}/{path.relative_to(exercise.folder)}"] = (
                path.read_bytes()
            )
    # The reference, and the mutants and alternatives the metadata lists (private to the bundle).
    for path in sorted(exercise.solution_folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            name = f"content/solutions/{exercise.id}/{path.relative_to(exercise.solution_folder)}"
            files[name] = path.read_bytes()
    return files


def _kdquiz_files() -> dict[str, bytes]:
    package = Path(__file__).resolve().parent.parent
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        parts = path.relative_to(package).parts
        if not path.is_file() or "__pycache__" in parts or parts[0] in ("_content", "tui"):
            continue
        files[f"kdquiz_src/kdquiz/{'/'.join(parts)}"] = path.read_bytes()
    return files


def bundle_files(exercise: LoadedExercise, visibility: str = "visible") -> dict[str, bytes]:
    """Every file of a grading bundle (also what the Gradescope zip holds)."""
    visibility_flag = f"--test-visibility {visibility}" if visibility != "visible" else ""
    files = {**_kdquiz_files(), **_content_files(exercise)}
    files["requirements.txt"] = REQUIREMENTS.encode()
    files["setup.sh"] = SETUP_SH.encode()
    files["grade.sh"] = GRADE_SH.format(exercise=exercise.id, visibility=visibility_flag).encode()
    files["run_autograder"] = RUN_AUTOGRADER.format(exercise=exercise.id).encode()
    return files


EXECUTABLE = ("setup.sh", "grade.sh", "run_autograder")


def write_zip(files: dict[str, bytes], target: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in EXECUTABLE else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def github_workflow(exercise: LoadedExercise, max_score: int = 10) -> str:
    return WORKFLOW.format(exercise=exercise.id, max_score=max_score)
