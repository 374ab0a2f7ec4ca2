"""Commands built only when used, so ``kdquiz --help`` stays close to the cost of importing Typer.
Help texts are shown in Chinese with ``--lang zh`` (or a remembered/environment language of zh):
see :mod:`kdquiz.cli.help_zh` and :func:`kdquiz.core.i18n.help_text`.

Typer turns every registered function into a click command up front, inspecting its signature
and evaluating its annotations: a third of what ``kdquiz --help`` cost over ``import typer``.
The root group here keeps the registered commands aside and builds one (with Typer's own public
``typer.main.get_command``, so behaviour is unchanged) only when it is run, asked for its help,
or suggested; the command list in ``kdquiz --help`` comes from the docstrings directly.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup

from kdquiz.cli.help_zh import HELP_LANG

try:  # Typer 0.2x vendors click
    from typer._click.utils import make_default_short_help
except ImportError:  # pragma: no cover - older Typer on the real click
    from click.utils import make_default_short_help  # type: ignore[no-redef]
from typer.main import get_command_name, solve_typer_info_help
from typer.models import CommandInfo, TyperInfo

_PENDING: dict[str, CommandInfo | TyperInfo] = {}
_HELP_LANG = HELP_LANG  # the language of help texts, from the command line (see LazyGroup)


def _lang_from(args: list[str]) -> str:
    """``--lang`` from the command line as given (help is shown before any callback runs), else
    the remembered or environment language."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return "zh" if args[index + 1] == "zh" else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.split("=", 1)[1] == "zh" else "en"
    from kdquiz.core.i18n import default_lang

    return default_lang()


def defer_registered(app: typer.Typer) -> None:
    """Move what was registered on ``app`` aside, to be built on first use (commands first,
    then groups, the order Typer lists them in)."""
    for info in app.registered_commands:
        _PENDING[info.name or get_command_name(info.callback.__name__)] = info  # type: ignore[union-attr]
    for group in app.registered_groups:
        assert group.name, "groups are added with a name"
        _PENDING[group.name] = group
    app.registered_commands = []
    app.registered_groups = []


def _build(name: str) -> Any:
    info = _PENDING[name]
    holder = typer.Typer(
        add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
    )
    holder.callback()(_nothing)
    if isinstance(info, CommandInfo):
        holder.registered_commands.append(info)
    else:
        holder.registered_groups.append(info)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    command = group.commands[name]
    if _HELP_LANG["lang"] == "zh":
        from kdquiz.cli.help_zh import localize

        localize(command)
    return command


def _nothing() -> None:
    """Placeholder callback: makes the holder a group, as the real root is."""


def _short_help(name: str) -> str:
    info = _PENDING[name]
    if isinstance(info, CommandInfo):
        text = info.help or inspect.getdoc(info.callback) or ""
    else:
        text = solve_typer_info_help(info)
    if not isinstance(text, str):
        return ""
    from kdquiz.core.i18n import help_text

    return help_text(text, _HELP_LANG["lang"])


class _Commands(MutableMapping[str, Any]):
    """The root group's commands: every name is known, each command is built on first access."""

    def __init__(self, given: MutableMapping[str, Any]) -> None:
        self._built: dict[str, Any] = dict(given)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in _PENDING:
                raise KeyError(name)
            self._built[name] = _build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from _PENDING
        yield from (n for n in self._built if n not in _PENDING)

    def __len__(self) -> int:
        return len(set(_PENDING) | set(self._built))

    def __contains__(self, name: object) -> bool:
        return name in _PENDING or name in self._built


class LazyGroup(TyperGroup):
    """The root group, over :class:`_Commands`."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else None)
        _HELP_LANG["lang"] = _lang_from(list(sys.argv[1:] if argv is None else argv))
        if _HELP_LANG["lang"] == "zh":
            from kdquiz.cli.help_zh import localize

            localize(self, recurse=False)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: TyperGroup's own goes through every command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, make_default_short_help(_short_help(name), limit)) for name in names]
        from kdquiz.cli.help_zh import frame_word

        with formatter.section(frame_word("Commands")):
            formatter.write_dl(rows)
