"""The speed and layout tricks that lean on other libraries' internals, each behind one adapter:
these tests fail loudly when a library changes underneath one (see docs/architecture.md)."""

from __future__ import annotations

import gc

import pytest

from kdquiz.core import gcpolicy


def test_rich_still_wraps_through_the_word_pattern_cjk_replaces() -> None:
    from rich import _wrap
    from rich.text import Text

    from kdquiz.tui import cjk

    original = _wrap.re_word
    try:
        assert cjk.enable(), "rich._wrap.re_word is gone: kdquiz/tui/cjk.py needs a new hook"
        assert _wrap.re_word is cjk.WORD
        lines = Text("知识蒸馏把教师的软目标传给学生，").wrap(_console(), 8)
        assert [line.plain for line in lines] == ["知识蒸馏", "把教师的", "软目标传", "给学生，"]
    finally:
        _wrap.re_word = original


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(width=8, file=None, legacy_windows=False)


def test_typer_internals_the_lazy_group_uses_are_there() -> None:
    """kdquiz/cli/lazy.py builds a command only when it runs; it relies on these."""
    import typer.main
    import typer.models

    from kdquiz.cli import lazy
    from kdquiz.cli.app import app

    assert callable(typer.main.get_command_name) and callable(typer.main.solve_typer_info_help)
    assert {"name", "callback", "help"} <= set(vars(typer.models.CommandInfo(name="x")))
    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    assert "check" in group.list_commands(None)  # type: ignore[arg-type]


async def test_textual_bindings_can_be_relabelled() -> None:
    from textual.app import App
    from textual.screen import Screen

    from kdquiz.tui.textual_compat import binding_labels, relabel_bindings

    class Probe(Screen[None]):
        BINDINGS = [("x", "explode", "Explode"), ("y", "keep", "Keep")]

    app = App[None]()
    async with app.run_test() as pilot:
        screen = Probe()
        app.push_screen(screen)
        await pilot.pause()
        relabel_bindings(screen, lambda action: "爆炸" if action == "explode" else None)
        labels = binding_labels(screen)
        assert labels["explode"] == "爆炸" and labels["keep"] == "Keep"
        shown = {a.binding.action: a.binding.description for a in screen.active_bindings.values()}
        assert shown["explode"] == "爆炸"  # what the footer renders


def test_collector_paused_restores_the_collector_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gcpolicy.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_freeze_once_freezes_once_per_process() -> None:
    """Run in a fresh interpreter: the first call freezes, the next ones change nothing."""
    import subprocess
    import sys

    probe = (
        "import gc\n"
        "from kdquiz.core import gcpolicy\n"
        "first = gcpolicy.freeze_once(); n = gc.get_freeze_count()\n"
        "junk = [[i] for i in range(10000)]\n"
        "second = gcpolicy.freeze_once()\n"
        "print(first, second, n > 0, gc.get_freeze_count() == n)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "True", "True"]


async def test_the_embedded_editor_highlights_python() -> None:
    """kdquiz depends on tree-sitter and its Python grammar only (not textual[syntax]'s 16)."""
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Probe(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea.code_editor("def f(x):\n    return x\n", language="python")

    async with Probe().run_test() as pilot:
        area = pilot.app.query_one(TextArea)
        assert "python" in area.available_languages and area.is_syntax_aware


def test_typer_help_frame_is_drawn_through_the_gettext_name_help_zh_replaces() -> None:
    """kdquiz/cli/help_zh.py points typer.core's gettext at the catalogue: Typer must still
    look the frame's words up through `typer.core._` when it draws a help screen."""
    import typer.core
    from typer.testing import CliRunner

    from kdquiz.cli.app import app

    original = typer.core._  # type: ignore[attr-defined]
    try:
        result = CliRunner().invoke(app, ["--lang", "zh", "check", "--help"])
        assert result.exit_code == 0
        assert "用法：kdquiz check" in result.output and "选项" in result.output
        assert "[必填]" in result.output and "Usage" not in result.output
    finally:
        typer.core._ = original  # type: ignore[attr-defined]


def test_the_command_lists_title_is_chinese_too() -> None:
    """The root's command list (cli.lazy draws it) and a group's (Typer draws it) say 命令."""
    import typer.core
    from typer.testing import CliRunner

    from kdquiz.cli.app import app

    original = typer.core._  # type: ignore[attr-defined]
    try:
        for argv in (["--lang", "zh", "--help"], ["--lang", "zh", "exercise", "--help"]):
            result = CliRunner().invoke(app, argv)
            assert result.exit_code == 0, result.output
            assert "命令" in result.output and "Commands" not in result.output
        english = CliRunner().invoke(app, ["--lang", "en", "--help"])
        assert "Commands" in english.output
    finally:
        typer.core._ = original  # type: ignore[attr-defined]
