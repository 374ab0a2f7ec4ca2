"""`kdquiz quiz` in the plain terminal, with answers piped on stdin."""

from __future__ import annotations

import random

from typer.testing import CliRunner

from kdquiz.cli.app import app, hoist_global_options
from kdquiz.core import quiz
from kdquiz.core.content import load_content

from .conftest import COURSE

runner = CliRunner()


def _run(answers: str, *args: str) -> str:
    argv = hoist_global_options(["quiz", *args])
    result = runner.invoke(app, ["--content", str(COURSE), *argv], input=answers)
    assert result.exit_code == 0, result.output
    return result.output


def _answers_for(seed: int, right: bool) -> str:
    """Answer the fixture course in the order `--seed` gives, right or wrong."""
    content = load_content(COURSE)
    rng = random.Random(seed)
    chosen = quiz.select_questions(list(content.questions.values()), count=10, rng=rng)
    lines = []
    for question in chosen:
        asked = quiz.ask(question, rng)
        if question.type.value in ("single", "code", "multiple"):
            letters = asked.correct_letters()
            lines.append(letters if right else ("a" if letters != "a" else "b"))
        elif question.type.value == "numeric":
            assert asked.expected is not None
            lines.append(f"{asked.expected:.6f}" if right else "123")
        else:
            lines += ["my answer", "3"]
    return "\n".join(lines) + "\n"


def test_a_whole_quiz_answered_right() -> None:
    output = _run(_answers_for(7, right=True), "--seed", "7")
    assert "Done: 5/5 right (1 self-rated)." in output
    assert "Why:" in output and "References:" in output


def test_a_whole_quiz_answered_wrong_shows_why() -> None:
    output = _run(_answers_for(7, right=False), "--seed", "7")
    assert "Done: 0/5 right" in output
    assert "Why the others are wrong:" in output


def test_chinese_and_filters() -> None:
    output = _run("0.5\n", "--lang", "zh", "--type", "numeric", "--difficulty", "1")
    assert "✓ 正确" in output
    assert "完成：答对 1/1 题" in output


def test_invalid_answers_are_asked_again() -> None:
    output = _run("zz\nb\n", "--type", "single")
    assert "not understood: 'zz' (type letters a-b)" in output
    assert "Done: 1/1 right" in output


def test_numeric_answers_say_what_was_typed_and_refuse_non_finite() -> None:
    output = _run("z\n\nnan\ninf\n1e999\n0.5\n", "--type", "numeric", "--difficulty", "1")
    assert "not a number: 'z'" in output
    assert "not a number: ''" in output
    for raw in ("nan", "inf", "1e999"):
        assert f"'{raw}' is not a finite number" in output
    assert "Done: 1/1 right" in output


def test_end_of_input_stops_cleanly() -> None:
    output = _run("", "--count", "3")
    assert "no more input" in output


def test_no_matching_questions_is_exit_1() -> None:
    result = runner.invoke(app, ["--content", str(COURSE), "quiz", "--topic", "nope"])
    assert result.exit_code == 1
    assert "basics" in result.output


def test_template_draws_fresh_numbers() -> None:
    content = load_content(COURSE)
    question = content.questions["template-q"]
    prompts = {quiz.ask(question, random.Random(seed)).prompt("en") for seed in range(30)}
    assert len(prompts) > 1
    asked = quiz.ask(question, random.Random(1))
    a, temperature = asked.params["a"], asked.params["T"]
    import math

    want = math.exp(a / temperature) / (math.exp(a / temperature) + 1)
    assert quiz.judge_numeric(asked, want).correct
    assert not quiz.judge_numeric(asked, want + 0.01).correct


def test_answer_parsing() -> None:
    assert quiz.parse_letters("A c", 3) == {0, 2}
    assert quiz.parse_letters("ac", 3) == {0, 2}
    assert quiz.parse_letters("2", 3) == {1}
    assert quiz.parse_letters("d", 3) is None
    assert quiz.parse_number("25%") == 0.25
    assert quiz.parse_number("3,5") == 3.5
    assert quiz.parse_number("abc") is None
    assert quiz.parse_rating("good") == 3
    assert quiz.parse_rating("5") is None
    # the same keys as in the app: digits and letters both
    assert [quiz.parse_rating(k) for k in "1234"] == [quiz.parse_rating(k) for k in "ahge"]
    assert quiz.parse_number("nan") is None and quiz.parse_number("-inf") is None


def test_global_options_anywhere() -> None:
    assert hoist_global_options(["quiz", "--lang", "zh", "-n", "3"]) == [
        "--lang",
        "zh",
        "quiz",
        "-n",
        "3",
    ]
    assert hoist_global_options(["validate", "--content=x"]) == ["--content=x", "validate"]
