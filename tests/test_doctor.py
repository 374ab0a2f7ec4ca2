"""`kdquiz doctor`: one screen that says what kdquiz sees on this machine, and why not strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.grading import sandbox
from kdquiz.grading.probe import probe_isolation

runner = CliRunner()


def test_doctor_in_a_real_process_names_torch_isolation_paths_and_editor(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "definitely-not-an-editor --wait")
    env = dict(os.environ)  # $EDITOR is not on PATH: doctor names the editor 'o' really opens
    result = subprocess.run(
        [sys.executable, "-m", "kdquiz", "doctor"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    import torch

    assert torch.__version__ in lines["torch"]
    expected = probe_isolation().level
    assert lines["isolation"].split()[1].rstrip(":") == expected
    assert str(isolated_home) in lines["data"] and str(isolated_home) in lines["cache"]
    assert os.environ["KDQUIZ_WORKSPACE"] in lines["workspace"]
    # what 'o' opens: the first editor that exists ($VISUAL, $EDITOR, the setting, a fallback)
    from kdquiz.core.settings import load_settings, resolve_editor

    argv, tried = resolve_editor(load_settings())
    assert "definitely-not-an-editor" not in lines["editor"]
    assert (argv is None and "none found" in lines["editor"]) or (
        argv is not None and argv[0] in lines["editor"] and "found at" in lines["editor"]
    )


def test_isolation_probe_matches_what_a_grading_child_gets() -> None:
    """The probe takes the same step a sandboxed child takes: as root on Linux, strict."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("the strict sandbox is probed as root on Linux here")
    assert probe_isolation().level == "strict"


def test_when_strict_fails_doctor_says_why_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(1, "unshare: Operation not permitted")

    monkeypatch.setattr(sandbox, "enter_strict", refuse)  # the forked probe inherits it
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "basic (strict is not available:" in result.output
    assert "Operation not permitted" in result.output and "docs/grading.md" in result.output
    result = runner.invoke(app, ["--lang", "zh", "doctor"])
    assert "无法使用 strict" in result.output and "Operation not permitted" in result.output
