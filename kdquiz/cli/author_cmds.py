"""Authoring commands: ``new question`` and ``new exercise`` (scaffolds that validate at once)."""

from __future__ import annotations

from typing import Annotated

import typer

from kdquiz.cli.context import STATE, fail, out
from kdquiz.core.i18n import t

new_app = typer.Typer(help="Scaffold a question or an exercise.", no_args_is_help=True)


def _root():  # type: ignore[no-untyped-def]
    """The instructor's tree to write into: never kdquiz's own content (installed or, in an
    editable checkout, the repository) unless it was named explicitly."""
    from kdquiz.core import locations

    root = locations.content_root(STATE.content_dir)
    if (locations.package_dir() / "_content") == root or not locations.explicit_content(
        STATE.content_dir
    ):
        fail(t("new.needs_tree", STATE.lang))
    return root


def _report(root) -> None:  # type: ignore[no-untyped-def]
    from kdquiz.core.content import load_content

    content = load_content(root)
    errors, warnings = len(content.errors), len(content.warnings)
    out(f"kdquiz validate: {errors} error(s), {warnings} warning(s) (the TODOs to fill in)")


@new_app.command("question")
def new_question(
    topic: Annotated[
        str, typer.Option("--topic", "-t", help="Topic slug (the file questions/TOPIC.yaml).")
    ],
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="single, multiple, short, numeric or code.")
    ] = "single",
) -> None:
    """Append a commented question skeleton (both languages) to a topic file, or start one."""
    from kdquiz.core.authoring import KINDS, AuthoringError, add_question
    from kdquiz.core.content import load_content

    if kind not in KINDS:
        fail(f"--kind must be one of: {', '.join(KINDS)}")
    root = _root()
    content = load_content(root)
    reference = (
        "hinton2015"
        if "hinton2015" in content.bibliography
        else next(iter(content.bibliography), "TODO")
    )
    try:
        known = content.topics.get(topic)
        title = (known.title.en, known.title.zh) if known else None
        path, question_id = add_question(
            root, topic, kind, reference, set(content.questions), title=title
        )
    except (AuthoringError, OSError) as exc:
        fail(str(exc))
    out(f"added question '{question_id}' ({kind}) to {path}")
    _report(root)


@new_app.command("exercise")
def new_exercise(
    exercise_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new exercise's id (lowercase, '_').")
    ],
    topic: Annotated[
        str, typer.Option("--topic", "-t", help="Topic slug shared with the questions.")
    ] = "fundamentals",
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the bundled exercise that has this id."),
    ] = False,
) -> None:
    """Create the statement, starter, suite, reference, mutant and alternative of a new exercise."""
    from kdquiz.core.authoring import AuthoringError
    from kdquiz.core.authoring import new_exercise as scaffold
    from kdquiz.core.content import load_content

    root = _root()
    own = root / "exercises" / exercise_id
    if not own.exists() and exercise_id in load_content(root, questions=False).exercises:
        if not replace:
            fail(t("new.shadows_bundled", STATE.lang, id=exercise_id))
        out(t("new.replacing_bundled", STATE.lang, id=exercise_id))
    try:
        written = scaffold(root, exercise_id, topic)
    except (AuthoringError, OSError) as exc:
        fail(str(exc))
    for path in written:
        out(f"  {path}")
    out(f"next: edit the TODOs, then 'kdquiz dev check {exercise_id}' (see docs/authoring.md)")
    _report(root)


def register(app: typer.Typer) -> None:
    app.add_typer(new_app, name="new")
