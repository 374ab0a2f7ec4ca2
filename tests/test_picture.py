"""A failing kd_loss check shows its picture: per class, the teacher's target, the reference's
and the learner's numbers for the worst sample — in the grading JSON and in the terminal."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.grading import picture

from .conftest import ROOT

runner = CliRunner()
MUTANT = ROOT / "solutions" / "kd_loss" / "mutants" / "no_t_squared.py"


def test_text_lines_draw_signed_bars_side_by_side() -> None:
    drawn = picture.make(
        ("gradient per class", "每个类别的梯度"),
        ["0", "1"],
        [(("reference", "参考实现"), [-0.5, 1.0]), (("yours", "你的"), [0.25, float("nan")])],
    )
    lines = picture.text_lines(drawn, "zh")
    assert lines[0] == "每个类别的梯度" and "参考实现" in lines[1] and "你的" in lines[1]
    assert lines[2].split()[:2] == ["0", "-██████"] and "0.25" in lines[2]
    assert "████████████ 1" in lines[3] and lines[3].rstrip().endswith("0")  # nan shown as 0


def test_a_failing_kd_loss_check_shows_its_picture(shared_worker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    submission = tmp_path / "kd_loss.py"
    shutil.copy(MUTANT, submission)
    result = runner.invoke(
        app, ["grade", "kd_loss", str(submission), "--format", "json", "--seed", "7"]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    graded = data["submissions"][0]
    pictured = [test for test in graded["tests"] if "picture" in test]
    assert [t["status"] for t in pictured] == ["fail"]
    drawn = pictured[0]["picture"]
    names = [s["name"]["en"] for s in drawn["series"]]
    assert names == ["teacher p_t", "reference", "yours"]
    assert len(drawn["labels"]) == len(drawn["series"][0]["values"]) >= 2
    reference, yours = drawn["series"][1]["values"], drawn["series"][2]["values"]
    # the mutant forgets T² (T > 1 here): the soft term's share of its gradient is too small
    assert sum(abs(r) for r in reference) > 1.5 * sum(abs(y) for y in yours)
    text = runner.invoke(app, ["--lang", "zh", "grade", "kd_loss", str(submission)]).output
    assert "每个类别的梯度" in text and "教师 p_t" in text and "参考实现" in text
