"""``kdquiz export gradescope|github-classroom``: grade on the services instructors already use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kdquiz.cli.context import STATE, fail, out

export_app = typer.Typer(
    help="Export an exercise's grader to Gradescope or GitHub Classroom.", no_args_is_help=True
)

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def _exercise(exercise_id: str):  # type: ignore[no-untyped-def]
    from kdquiz.cli.exercise_cmds import load_exercises

    return load_exercises([exercise_id])[0]


@export_app.command("gradescope")
def gradescope(
    exercise_id: Annotated[str, typer.Argument(metavar="EXERCISE")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The autograder zip to write.")
    ] = Path("autograder.zip"),
    test_visibility: Annotated[
        str, typer.Option(help="visible, hidden, after_due_date or after_published.")
    ] = "visible",
) -> None:
    """Build a Gradescope autograder (setup.sh, run_autograder, the suite and the reference)."""
    from kdquiz.grading.bundle import bundle_files, write_zip

    if test_visibility not in VISIBILITIES:
        fail("--test-visibility must be one of: " + ", ".join(VISIBILITIES))
    exercise = _exercise(exercise_id)
    try:
        write_zip(bundle_files(exercise, test_visibility), output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    out(f"wrote {output}: upload it as the autograder of a Gradescope programming assignment;")
    out(f"students submit {exercise.id}.py")


@export_app.command("github-classroom")
def github_classroom(
    exercise_id: Annotated[str, typer.Argument(metavar="EXERCISE")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder of the template repository.")
    ] = Path("."),
    bundle_path: Annotated[
        Path | None,
        typer.Option(
            "--bundle", help="Where to write the private grading bundle (not in the repository)."
        ),
    ] = None,
) -> None:
    """Write the autograding workflow and the starter into the template repository, and the
    grading bundle (the hidden suite: keep it private) next to it."""
    from kdquiz.grading.bundle import bundle_files, github_workflow, write_zip

    exercise = _exercise(exercise_id)
    bundle = bundle_path or output.resolve().parent / f"kdquiz-grader-{exercise.id}.zip"
    if bundle.resolve().is_relative_to(output.resolve()):
        fail(
            "the grading bundle holds the hidden suite: write it outside the template repository (--bundle)"
        )
    workflow = output / ".github" / "workflows" / "classroom.yml"
    try:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(github_workflow(exercise), encoding="utf-8")
        starter = output / f"{exercise.id}.py"
        if not starter.exists():
            from kdquiz.core import starters

            source = exercise.starter_path.read_text(encoding="utf-8")
            starter.write_text(starters.render(source, STATE.lang), encoding="utf-8")
        write_zip(bundle_files(exercise), bundle)
    except OSError as exc:
        fail(f"cannot write to {output}: {exc.strerror}")
    out(f"wrote {workflow}, {output / (exercise.id + '.py')} (the starter) and {bundle}")
    out(
        "keep the bundle out of the students' repositories: upload it privately and set the secrets "
        "KDQUIZ_BUNDLE_URL (and KDQUIZ_BUNDLE_TOKEN) as the workflow explains"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
