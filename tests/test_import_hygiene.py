"""The CLI starts fast and the core stays free of UI imports (checked in fresh interpreters)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_help_imports_neither_torch_nor_textual() -> None:
    loaded = _modules_after(
        "import sys\nsys.argv=['kdquiz','--help']\nfrom kdquiz.cli.app import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass"
    )
    assert "kdquiz.cli.app" in loaded
    for heavy in ("torch", "textual", "pydantic", "yaml", "pytest"):
        assert heavy not in loaded, heavy


@pytest.mark.parametrize(
    "module",
    [
        "kdquiz.core.content",
        "kdquiz.core.quiz",
        "kdquiz.core.models",
        "kdquiz.core.progress",
        "kdquiz.core.session",
        "kdquiz.core.stats",
        "kdquiz.core.watching",
        "kdquiz.grading.suite",
        "kdquiz.grading.protocol",
        "kdquiz.grading.builders",
    ],
)
def test_core_never_imports_textual_or_torch_at_module_level(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert "textual" not in loaded
    assert "torch" not in loaded


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kdquiz", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("kdquiz ")


def test_i18n_catalogue_is_complete() -> None:
    import string

    from kdquiz.core.i18n import messages

    catalogue = messages()
    assert len(catalogue) > 100
    for key, entry in catalogue.items():
        assert set(entry) == {"en", "zh"} and entry["en"] and entry["zh"], key
        # both languages take the same placeholders
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in entry
        ]
        assert fields[0] == fields[1], key


def test_help_builds_no_command_and_a_command_builds_only_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Typer inspects a command's signature when it builds it: `kdquiz --help` builds none (the
    list comes from the docstrings), `kdquiz grade --help` builds only grade."""
    from typer.testing import CliRunner

    from kdquiz.cli import lazy
    from kdquiz.cli.app import app

    built: list[str] = []
    real = lazy._build

    def counting(name: str):  # type: ignore[no-untyped-def]
        built.append(name)
        return real(name)

    monkeypatch.setattr(lazy, "_build", counting)
    runner = CliRunner()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and built == []
    listed = result.output.split("Commands:")[1]
    for name in ("validate", "quiz", "check", "grade", "review", "exercise", "dev", "export"):
        assert f"  {name} " in listed, name
    assert "Grade your workspace file for an exercise" in listed
    result = runner.invoke(app, ["grade", "--help"])
    assert result.exit_code == 0 and built == ["grade"]
    assert "--jobs" in result.output
    result = runner.invoke(app, ["gradee"])
    assert result.exit_code == 2 and "Did you mean 'grade'?" in result.output


def _every_command() -> list[object]:
    import typer

    from kdquiz.cli import lazy
    from kdquiz.cli.app import app

    found: list[object] = [typer.main.get_command(app)]
    stack = [lazy._build(name) for name in lazy._PENDING]
    while stack:
        command = stack.pop()
        found.append(command)
        stack.extend(getattr(command, "commands", {}).values())
    return found


def test_every_help_text_has_its_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from kdquiz.cli import lazy
    from kdquiz.cli.help_zh import HELP_ZH

    monkeypatch.setitem(lazy._HELP_LANG, "lang", "en")  # the English source texts

    missing = []
    for command in _every_command():
        texts = [getattr(command, "help", None)]
        texts += [getattr(p, "help", None) for p in getattr(command, "params", ())]
        missing += [t for t in texts if t and t not in HELP_ZH]
    assert not missing, missing


def test_help_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from kdquiz.cli.app import app

    runner = CliRunner()
    top = runner.invoke(app, ["--lang", "zh", "--help"])
    assert top.exit_code == 0
    assert "用隐藏测试为你工作区里的练习文件评分" in top.output and "显示此帮助并退出" in top.output
    grade = runner.invoke(app, ["--lang", "zh", "grade", "--help"])
    assert "同时评分的提交数" in grade.output and "显示此帮助并退出" in grade.output
    monkeypatch.setenv("KDQUIZ_LANG", "zh")
    assert "列出并开始练习" in runner.invoke(app, ["exercise", "--help"]).output
    english = runner.invoke(app, ["--lang", "en", "exercise", "--help"]).output
    assert "List and start exercises." in english and "列出" not in english
