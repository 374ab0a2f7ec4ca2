"""``kdquiz export gradescope|github-classroom|anki``: grade on the services instructors already
use, and take the question bank to Anki."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kdquiz.cli.context import STATE, fail, load_checked_content, out
from kdquiz.core.i18n import t

if TYPE_CHECKING:
    from kdquiz.core.content import LoadedExercise

export_app = typer.Typer(
    help="Export an exercise's grader to Gradescope or GitHub Classroom, or the questions to Anki.",
    no_args_is_help=True,
)

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
ISOLATION_HELP = (
    "The isolation the platform must grade under: strict (default; a platform that does not "
    "allow it reports 'not graded' with the reason) or basic (your explicit choice; see "
    "docs/grading.md for what it does not stop)."
)


def _isolation(value: str) -> str:
    if value not in ("strict", "basic"):
        fail(t("export.isolation_choice", STATE.lang, value=value))
    return value


def _writable(path: Path) -> None:
    """A one-line error (exit 2) unless ``path``'s folder exists: a mistyped -o creates nothing."""
    folder = path.parent
    if not folder.is_dir():
        fail(t("export.no_folder", STATE.lang, folder=folder))


def _cannot_write(path: Path, exc: OSError) -> None:
    fail(t("export.cannot_write", STATE.lang, path=path, reason=exc.strerror or exc))


def _exercise(exercise_id: str):  # type: ignore[no-untyped-def]
    from kdquiz.cli.exercise_common import load_exercises

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
    isolation: Annotated[str, typer.Option(help=ISOLATION_HELP)] = "strict",
) -> None:
    """Build a Gradescope autograder (setup.sh, run_autograder, the suite and the reference)."""
    from kdquiz.grading.bundle import bundle_files, write_zip

    if test_visibility not in VISIBILITIES:
        fail(t("export.visibility", STATE.lang, choices=", ".join(VISIBILITIES)))
    level = _isolation(isolation)
    exercise = _exercise(exercise_id)
    _writable(output)
    try:
        write_zip(bundle_files(exercise, test_visibility, level), output)
    except OSError as exc:
        _cannot_write(output, exc)
    out(t("export.gradescope_wrote", STATE.lang, path=output, file=f"{exercise.id}.py"))
    out(t("export.isolation_said", STATE.lang, level=level))


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
    isolation: Annotated[str, typer.Option(help=ISOLATION_HELP)] = "strict",
) -> None:
    """Write the GitHub Actions workflow (per-test points; reports to GitHub Classroom too) and
    the starter into the template repository, and the grading bundle (the hidden suite: keep
    it private) next to it."""
    from kdquiz.grading.bundle import bundle_files, github_workflow, write_zip
    from kdquiz.grading.plugin import suite_points

    level = _isolation(isolation)
    exercise = _exercise(exercise_id)
    points = suite_points(exercise.suite_path)
    if points is None:
        fail(t("suite.not_loaded", STATE.lang, id=exercise.id))
    bundle = bundle_path or output.resolve().parent / f"kdquiz-grader-{exercise.id}.zip"
    if bundle.resolve().is_relative_to(output.resolve()):
        fail(t("export.bundle_inside", STATE.lang))
    _writable(bundle)
    workflow = output / ".github" / "workflows" / "classroom.yml"
    try:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(github_workflow(exercise, points, level), encoding="utf-8")
        starter = output / f"{exercise.id}.py"
        if not starter.exists():
            from kdquiz.core import starters

            source = exercise.starter_path.read_text(encoding="utf-8")
            starter.write_text(starters.render(source, STATE.lang), encoding="utf-8")
        write_zip(bundle_files(exercise, isolation=level), bundle)
    except OSError as exc:
        _cannot_write(output, exc)
    starter_path = output / f"{exercise.id}.py"
    out(
        t("export.github_wrote", STATE.lang, workflow=workflow, starter=starter_path, bundle=bundle)
    )
    out(t("export.github_private", STATE.lang))
    out(t("export.isolation_said", STATE.lang, level=level))


def write_results(  # type: ignore[no-untyped-def]
    ex: LoadedExercise, results, meta, format: str, output: Path | None, visibility: str
) -> None:
    """``kdquiz grade``'s results in ``format``, to ``output`` or stdout (every format, text included)."""
    from kdquiz.cli.exercise_common import _print_result
    from kdquiz.grading import exports

    if format == "text":
        lines: list[str] = []
        for result in results:
            lines.append(f"{result.path}")
            _print_result(result, ex, lines.append)
        text = "\n".join(lines) + "\n"
    elif format == "gradescope":
        text = exports.to_gradescope(results, meta, visibility=visibility)
    else:
        text = exports.render(format, results, meta)
    if output is None:
        out(text.rstrip("\n"))
        return
    _writable(output)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _cannot_write(output, exc)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("anki")
def anki(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The Anki package (.apkg) to write.")
    ] = Path("kdquiz.apkg"),
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the cards: en, zh or both (default: kdquiz's)."),
    ] = None,
    topics: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")
    ] = None,
) -> None:
    """Write the question bank as an Anki deck; a later export updates the same cards."""
    from kdquiz.core.anki import AnkiError, build_deck, write_package

    deck_lang = lang or STATE.lang
    if deck_lang not in ("en", "zh", "both"):
        fail(t("anki.lang", STATE.lang, value=deck_lang))
    if output.suffix != ".apkg":
        fail(t("anki.suffix", STATE.lang, path=output))
    _writable(output)
    content = load_checked_content()
    unknown = [topic for topic in topics or [] if topic not in content.topics]
    if unknown or not content.questions:
        fail(t("anki.no_questions", STATE.lang, topics=", ".join(sorted(content.topics))))
    chosen = [q for q in content.questions.values() if not topics or q.topic in topics]
    titles = {
        slug: topic.title.get("zh" if deck_lang == "zh" else "en")
        for slug, topic in content.topics.items()
    }
    deck = build_deck(chosen, content.bibliography, titles, deck_lang)  # type: ignore[arg-type]
    try:
        notes = write_package(deck, output)
    except AnkiError as exc:
        fail(t("export.cannot_write", STATE.lang, path=exc.path, reason=exc.reason))
    out(t("anki.wrote", STATE.lang, path=output, notes=notes, questions=len(chosen)))
