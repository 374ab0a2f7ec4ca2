"""Commands on the content itself: ``validate`` and ``schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kdquiz.cli.context import EXIT_FAIL, EXIT_OK, STATE, fail, out
from kdquiz.core.i18n import t


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Question files to check (default: the whole content tree)."),
    ] = None,
) -> None:
    """Check the content: every problem at once, as file:line:column: message."""
    from kdquiz.core import locations
    from kdquiz.core.content import load_content

    root = locations.content_root(STATE.content_dir)
    if not root.is_dir():
        fail(t("content.missing", STATE.lang, path=root))
    only: list[Path] | None = None
    if paths:
        only = []
        for path in paths:
            if not path.exists():
                fail(t("path.missing", STATE.lang, path=path))
            if path.is_dir():
                # A directory is a content tree of its own.
                root = path.resolve()
                only = None
                break
            only.append(path.resolve())
    content = load_content(root, only_files=only)
    problems = sorted(content.problems)
    for problem in problems:
        out(str(problem))
    errors, warnings = len(content.errors), len(content.warnings)
    if errors or warnings:
        out(t("validate.summary", STATE.lang, errors=errors, warnings=warnings, root=root))
    if errors:
        raise typer.Exit(EXIT_FAIL)
    if not warnings:
        out(
            t(
                "validate.ok",
                STATE.lang,
                questions=len(content.questions),
                exercises=len(content.exercises),
                references=len(content.bibliography),
            )
        )
    raise typer.Exit(EXIT_OK)


def schema() -> None:
    """Print the JSON Schema of a question file (for editors that validate YAML as you type)."""
    import json

    from kdquiz.core.models import question_file_schema

    out(json.dumps(question_file_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(schema)
