"""``kdquiz --lang zh ... --help``: a command's help, options and ``--help`` itself shown in
Chinese, from the catalogue (:func:`kdquiz.core.i18n.help_text`), and the words of the help
screen's frame ("Usage:", "Options", "[required]") too.

The frame's words are Typer's own, looked up through ``gettext`` in ``typer.core`` at the moment
a help screen is drawn; :func:`localize_frame` points that lookup at the catalogue (and the root's
lazy command list, cli.lazy, asks :func:`frame_word` for its "Commands" title). This is the
one place kdquiz reaches into Typer for it (``tests/test_adapters.py`` fails if it moves)."""

from __future__ import annotations

from kdquiz.core.i18n import help_text

HELP_LANG = {"lang": "en"}
"""The language of this process's help screens (set from the command line by cli.lazy)."""


def _zh(text: object) -> object:
    return help_text(text, "zh") if isinstance(text, str) else text


def frame_word(text: str) -> str:
    """A word of the help screen's or a usage error's frame, in this process's help language."""
    from kdquiz.core.messages.cli_help import FRAME

    return FRAME.get(text, text) if HELP_LANG["lang"] == "zh" else text


def localize_frame() -> None:
    """Typer's help-screen words in Chinese, for the rest of this process."""
    import typer.core

    typer.core._ = frame_word  # type: ignore[attr-defined,assignment]


def _usage_in_chinese(command: object) -> None:
    from kdquiz.core.messages.cli_help import FRAME

    def format_usage(ctx: object, formatter: object) -> None:
        pieces = command.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(  # type: ignore[attr-defined]
            ctx.command_path,  # type: ignore[attr-defined]
            " ".join(pieces),
            prefix=FRAME["Usage: "] if HELP_LANG["lang"] == "zh" else None,
        )

    command.format_usage = format_usage  # type: ignore[attr-defined]


def localize(command: object, recurse: bool = True) -> None:
    """Replace the help of ``command``, its parameters, its ``--help`` option and (with
    ``recurse``, for a group) its commands by the Chinese text, where there is one."""
    localize_frame()
    if hasattr(command, "collect_usage_pieces"):
        _usage_in_chinese(command)
    if getattr(command, "help", None) is not None:
        command.help = _zh(command.help)  # type: ignore[attr-defined]
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None) is not None:
            param.help = _zh(param.help)
    original = getattr(command, "get_help_option", None)
    if original is not None:

        def get_help_option(ctx: object) -> object:
            option = original(ctx)
            if getattr(option, "help", None) is not None:
                option.help = _zh(option.help)  # type: ignore[union-attr]
            return option

        command.get_help_option = get_help_option  # type: ignore[attr-defined]
    if recurse:
        for sub in getattr(command, "commands", {}).values():
            localize(sub)
