"""Taking an exercise's grading elsewhere: a Gradescope autograder zip, and a GitHub Actions
workflow (which also reports to GitHub Classroom). Both carry kdquiz's own grading code, the
exercise and its hidden suite and reference, and grade with the same judge and sandbox as
``kdquiz grade``, under the isolation level chosen at export (strict unless the instructor says
basic: a platform that does not allow strict gets a clear "not graded" message, never a silent
weaker grade). What runs on the platform is :mod:`kdquiz.grading.platforms`."""

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
# Builds the grader's own virtual environment next to this file (Gradescope runs this once when it
# builds the autograder image; the GitHub Actions workflow runs it after fetching the bundle).
# Gradescope's images (Ubuntu 22.04, Python 3.10) mark the system Python "externally managed"
# (PEP 668): nothing is installed into it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${{KDQUIZ_PYTHON:-python3}}"
if ! "$python" -m venv "$here/.venv" >/dev/null 2>&1; then
  # Debian and Ubuntu ship venv (ensurepip) as a separate package.
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  fi
  "$python" -m venv --clear "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install -q --upgrade pip
"$here/.venv/bin/python" -m pip install -q -r "$here/requirements.txt"
"""

PYTHON_OF = """\
here="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
python="$here/.venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"
"""

GRADE_SH = """\
#!/usr/bin/env bash
# Grade submissions with the bundled kdquiz: grade.sh SUBMISSION [FORMAT] [OUTPUT]
# Exit status as kdquiz grade: 0 pass, 1 not passing, 2 grading could not run.
{python_of}PYTHONPATH="$here/kdquiz_src${{PYTHONPATH:+:$PYTHONPATH}}" KDQUIZ_HOME="${{KDQUIZ_HOME:-$here/.home}}" \\
  "$python" -m kdquiz --content "$here/content" grade {exercise} "$1" \\
    --format "${{2:-text}}" ${{3:+--output "$3"}} --isolation {isolation} {visibility}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: /autograder/submission -> /autograder/results/results.json
# (Gradescope copies it to /autograder/run_autograder: the bundle is in $root/source.)
# Isolation: {isolation}, chosen when the bundle was exported. Results are written only after
# every process of the submission is gone (kdquiz.grading.platforms).
root="${{AUTOGRADER_ROOT:-/autograder}}"
source="$root/source"
python="$source/.venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"
mkdir -p "$root/results"
PYTHONPATH="$source/kdquiz_src${{PYTHONPATH:+:$PYTHONPATH}}" KDQUIZ_HOME="$source/.home" "$python" -m kdquiz.grading.platforms \\
  gradescope --root "$root" --exercise {exercise} --isolation {isolation} --visibility {visibility}
if [ ! -s "$root/results/results.json" ]; then
  printf '{{"score": 0.0, "output": "The autograder could not start (see its log).", "tests": []}}' \\
    > "$root/results/results.json"
fi
exit 0
"""

CLASSROOM_SH = """\
#!/usr/bin/env bash
# GitHub Actions: classroom.sh SUBMISSION OUTDIR -> OUTDIR/results.json, result.b64, summary.md
# Runs with only PATH and HOME set (as GitHub Classroom's command grader runs commands).
# Isolation: {isolation}, chosen when the bundle was exported.
{python_of}PYTHONPATH="$here/kdquiz_src" KDQUIZ_HOME="$here/.home" exec "$python" -m kdquiz.grading.platforms \\
  classroom --source "$here" --exercise {exercise} --submission "$1" --out "$2" --isolation {isolation}
"""

GRADER_DIR = "$HOME/kdquiz-grader"
RESULTS_DIR = "$HOME/kdquiz-results"
CLASSROOM_COMMAND = 'bash "{grader}/classroom.sh" {exercise}.py "{results}"'
"""The workflow's grading command. It runs in the repository's checkout with only the
variables GitHub Classroom's command grader passes (PATH, HOME, ...): no RUNNER_TEMP, no
GITHUB_*; so the bundle lives under $HOME."""

WORKFLOW = """\
# Autograding of '{exercise}' with kdquiz: a plain GitHub Actions workflow, which also reports to
# GitHub Classroom when the repository is a Classroom assignment.
#
# The hidden suite must not live in the students' repositories: upload the grading bundle made by
# 'kdquiz export github-classroom {exercise}' somewhere private and give its URL (and a token if
# needed) to the organisation as the secrets KDQUIZ_BUNDLE_URL and KDQUIZ_BUNDLE_TOKEN.
# A student who can edit this workflow can make it print whatever it can read, the bundle
# included: see "What a student can see" in kdquiz's docs/grading.md.
#
# Isolation: {isolation}. Points: one per hidden test (or its weight), {max_score} in all.
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
          curl -fsSL ${{KDQUIZ_BUNDLE_TOKEN:+-H "Authorization: Bearer $KDQUIZ_BUNDLE_TOKEN"}} "$KDQUIZ_BUNDLE_URL" -o "$HOME/kdquiz-grader.zip"
          rm -rf "{grader}" && unzip -q "$HOME/kdquiz-grader.zip" -d "{grader}"
          bash "{grader}/setup.sh"
      - name: kdquiz {exercise}
        id: kdquiz
        run: |
          env -i {env_names} {command}
          cat "{results}/summary.md" >> "$GITHUB_STEP_SUMMARY"
          echo "result=$(cat "{results}/result.b64")" >> "$GITHUB_OUTPUT"
      - name: Keep the results
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: kdquiz-results
          path: ~/kdquiz-results/
      - name: Autograding Reporter (GitHub Classroom)
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


def bundle_files(
    exercise: LoadedExercise, visibility: str = "visible", isolation: str = "strict"
) -> dict[str, bytes]:
    """Every file of a grading bundle (also what the Gradescope zip holds). ``isolation`` is
    the level the platform must grade under: strict (the default) fails loudly where the
    platform does not allow it; basic is the instructor's explicit choice."""
    visibility_flag = f"--test-visibility {visibility}" if visibility != "visible" else ""
    files = {**_kdquiz_files(), **_content_files(exercise)}
    files["requirements.txt"] = REQUIREMENTS.encode()
    files["setup.sh"] = SETUP_SH.format().encode()
    values = {"exercise": exercise.id, "isolation": isolation, "python_of": PYTHON_OF.format()}
    files["grade.sh"] = GRADE_SH.format(visibility=visibility_flag, **values).encode()
    files["run_autograder"] = RUN_AUTOGRADER.format(visibility=visibility, **values).encode()
    files["classroom.sh"] = CLASSROOM_SH.format(**values).encode()
    return files


EXECUTABLE = ("setup.sh", "grade.sh", "run_autograder", "classroom.sh")


def write_zip(files: dict[str, bytes], target: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in EXECUTABLE else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def classroom_command(exercise_id: str) -> str:
    """The grading command of the workflow (see :data:`CLASSROOM_COMMAND`)."""
    return CLASSROOM_COMMAND.format(grader=GRADER_DIR, results=RESULTS_DIR, exercise=exercise_id)


def github_workflow(exercise: LoadedExercise, max_score: int, isolation: str = "strict") -> str:
    """The workflow file: fetch the private bundle, grade with only the variables Classroom's
    command grader passes, report per-test points (job summary, artifact, Classroom)."""
    from kdquiz.grading.platforms import COMMAND_GRADER_ENV

    env_names = " ".join(
        f'{name}="${name}"' if value is None else f"{name}={value}"
        for name, value in COMMAND_GRADER_ENV.items()
    )
    return WORKFLOW.format(
        exercise=exercise.id,
        max_score=max_score,
        isolation=isolation,
        grader=GRADER_DIR,
        results=RESULTS_DIR,
        command=classroom_command(exercise.id),
        env_names=env_names,
    )
