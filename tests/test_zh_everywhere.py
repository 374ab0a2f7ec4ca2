"""A learner working in Chinese, through every exercise in the plain terminal: start, a failing
check, a hint, a passing check — and no English sentence in what kdquiz prints, except code,
identifiers and proper names (tests/zh_scan.py). The solution is code and is not scanned."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app, hoist_global_options

from .zh_scan import english_lines

runner = CliRunner()
SLOW = 30  # an exercise whose budget is longer (the capstone) is checked failing only
SHARDS = 4  # the exercises are split in this many tests, so that test workers share them


def _zh(*argv: str) -> tuple[int, str]:
    result = runner.invoke(app, hoist_global_options(["--lang", "zh", *argv]))
    return result.exit_code, result.output


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_exercise_in_chinese(shared_worker, isolated_home, shard: int) -> None:  # type: ignore[no-untyped-def]
    """Every exercise, in one of SHARDS tests (the exercises sorted by id, every SHARDS-th)."""
    from kdquiz.core import locations, workspace
    from kdquiz.core.content import load_content

    content = load_content(locations.bundled_content_root(), questions=False)
    english: dict[str, list[str]] = {}
    exercises = sorted(content.learner_exercises.values(), key=lambda ex: ex.id)
    assert len(exercises) >= 14
    for ex in exercises[shard::SHARDS]:
        seen: list[str] = []
        code, out = _zh("exercise", "start", ex.id)
        assert code == 0, out
        seen += english_lines(out)
        code, out = _zh("check", ex.id)
        assert code == 1 and "未通过" in out, out
        seen += english_lines(out)
        code, out = _zh("hint", ex.id)
        assert code == 0, out
        seen += english_lines(out)
        if (ex.meta.timeout or 0) <= SLOW:
            shutil.copy(ex.reference_path, workspace.exercise_file(ex.id))
            code, out = _zh("check", ex.id)
            assert code == 0 and "通过" in out, out
            seen += english_lines(out)
        if seen:
            english[ex.id] = seen
    assert not english, "\n".join(f"{i}: {line}" for i, lines in english.items() for line in lines)
