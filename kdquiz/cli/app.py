"""The command-line face of kdquiz: a thin Typer layer over the core.

Heavy modules (pydantic content models, torch, pytest, Textual) are imported inside the commands
that need them, so ``kdquiz --help`` costs little more than importing Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kdquiz import __version__
from kdquiz.cli import (
    author_cmds,
    check_cmds,
    content_cmds,
    doctor_cmds,
    exercise_cmds,
    export_cmds,
    interview_cmds,
    progress_cmds,
    quiz_cmds,
    serve_cmds,
)
from kdquiz.cli.context import STATE, fail
from kdquiz.cli.lazy import LazyGroup, defer_registered
from kdquiz.core.i18n import default_lang

app = typer.Typer(
    name="kdquiz",
    help="Interview preparation for knowledge distillation: a spaced-repetition quiz and PyTorch "
    "exercises graded in a sandbox. Run with no command to open the app. "
    "知识蒸馏面试准备：间隔重复测验与沙箱评分的 PyTorch 练习。",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kdquiz {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the program's text: en or zh.")
    ] = None,
    content: Annotated[
        Path | None,
        typer.Option(
            "--content",
            help="A content tree (questions/, exercises/, solutions/) to use instead of the "
            "bundled one. Also KDQUIZ_CONTENT.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Interview preparation for knowledge distillation."""
    STATE.lang = default_lang()
    if lang is not None:
        if lang not in ("en", "zh"):
            fail(f"--lang must be 'en' or 'zh', not {lang!r}")
        STATE.lang = lang  # this command only: F2 in the app and Settings remember a language
    STATE.content_dir = content
    if ctx.invoked_subcommand is None:
        from kdquiz.tui.launch import launch  # deferred: Textual costs ~0.1 s to import

        launch(lang=STATE.lang, content_dir=content)


content_cmds.register(app)
quiz_cmds.register(app)
check_cmds.register(app)
exercise_cmds.register(app)
progress_cmds.register(app)
author_cmds.register(app)
export_cmds.register(app)
doctor_cmds.register(app)
serve_cmds.register(app)
interview_cmds.register(app)
defer_registered(app)  # built on first use: see kdquiz/cli/lazy.py


GLOBAL_OPTIONS = ("--lang", "--content")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Let ``--lang``/``--content`` stand anywhere (``kdquiz quiz --lang zh``), not only first."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        name = arg.split("=", 1)[0]
        value = arg.split("=", 1)[1] if "=" in arg else (argv[index + 1 : index + 2] or [""])[0]
        if name == "--lang" and value == "both":  # `export anki --lang both` is the command's
            rest.append(arg)
        elif name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[index : index + 2])
                index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def run() -> None:
    """Run the CLI (the console-script entry point)."""
    import sys

    try:
        app(args=hoist_global_options(sys.argv[1:]), prog_name="kdquiz", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        from kdquiz.cli.crash import report_crash

        sys.exit(report_crash(exc))
