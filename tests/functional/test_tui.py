"""The terminal app, driven through Textual's Pilot: every screen and flow, plus SVG snapshots."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from kdquiz.core.progress import GOOD, open_store
from kdquiz.core.settings import load_settings
from kdquiz.tui.screens.exercise import ExerciseScreen
from kdquiz.tui.screens.help import HelpScreen
from kdquiz.tui.screens.home import HomeScreen
from kdquiz.tui.screens.progress import ProgressScreen
from kdquiz.tui.screens.quiz import QuizScreen
from kdquiz.tui.screens.settings import SettingsScreen
from kdquiz.tui.screens.solution import SolutionScreen

from .conftest import FROZEN, assert_snapshot, settle

GOOD_CODE = "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n    return x * 2\n"


def _text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    """The plain text a Static shows (its Rich renderable, printed without colour)."""
    from rich.console import Console

    widget = app.screen.query_one(selector)
    console = Console(width=200, record=True, color_system=None, file=open(os.devnull, "w"))
    console.print(widget.content)
    return console.export_text()


async def test_home_shows_due_mastery_and_keys(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "new: 6" in _text(app, "#home-due")
        assert "Exercises passed: 0/2" in _text(app, "#home-exercises")
        await assert_snapshot(app, pilot, "home_en")


async def _answer_all(app, pilot, screen: QuizScreen) -> None:  # type: ignore[no-untyped-def]
    while screen.phase not in ("done",):
        question = screen.asked.question
        kind = question.type.value
        if kind in ("single", "code"):
            await pilot.press(screen.asked.correct_letters()[0], "enter")
        elif kind == "multiple":
            await pilot.press(*screen.asked.correct_letters(), "enter")
        elif kind == "numeric":
            await pilot.press(*f"{screen.asked.expected:.6f}", "enter")
        else:
            await pilot.press(*"a few words", "enter")
            assert screen.phase == "rating"
            await pilot.press("1", "3")
            assert screen.ticked == {0, 2}
            await pilot.press("g")
        assert screen.phase == "answered"
        await pilot.press("enter")


async def test_custom_quiz_answers_every_kind_and_records(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause(0.1)
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, QuizScreen) and len(screen.questions) == 6
        assert {q.type.value for q in screen.questions} == {
            "single",
            "multiple",
            "short",
            "numeric",
            "code",
        }
        await _answer_all(app, pilot, screen)
        tally = screen.session.tally
        assert (tally.right, tally.graded, tally.self_rated) == (5, 5, 1)
        assert "5/5" in _text(app, "#quiz-status")
        await settle(app, pilot)
    store = open_store()
    assert len(store.events()) == 6
    store.close()


async def test_wrong_choice_shows_why_and_wrong_number_is_asked_again(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        content = app.content
        app.push_screen(
            QuizScreen(questions=[content.questions["single-q"], content.questions["numeric-q"]])
        )
        await pilot.pause(0.1)
        screen = app.screen
        await pilot.press("a", "enter")
        feedback = _text(app, "#quiz-feedback")
        assert "Not quite" in feedback and "Labels are not distributions" in feedback
        await pilot.press("enter")
        await pilot.press(*"abc", "enter")
        assert screen.phase == "asking"  # not a number: still asking
        await pilot.press("ctrl+a", "backspace")
        screen.query_one("#quiz-input").value = ""
        await pilot.press(*"0.5", "enter")
        assert screen.phase == "answered" and screen.verdict.correct


async def test_language_switches_mid_question(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(QuizScreen(questions=[app.content.questions["code-q"]]))
        await pilot.pause(0.1)
        assert "What is wrong?" in _text(app, "#quiz-prompt")
        await assert_snapshot(app, pilot, "quiz_code_en")
        await pilot.press("f2")
        await pilot.pause(0.1)
        assert "哪里错了" in _text(app, "#quiz-prompt")
        assert "教师输出没有被使用" in _text(app, "#quiz-choices")
        assert load_settings().lang == "zh"  # remembered
        await pilot.press("a", "enter")
        assert "正确" in _text(app, "#quiz-feedback")


async def test_template_questions_show_fresh_numbers(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        prompts = set()
        for _ in range(12):
            app.push_screen(QuizScreen(questions=[app.content.questions["template-q"]]))
            await pilot.pause(0.05)
            prompts.add(_text(app, "#quiz-prompt"))
            app.pop_screen()
        assert len(prompts) > 1


async def test_review_session_from_home(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause(0.1)
        assert isinstance(app.screen, QuizScreen)
        assert "Nothing is due" in _text(app, "#quiz-status")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_exercise_start_check_hint_pass_on_save_and_solution(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    fixed = Path("/tmp/kdquiz-snapshot-workspace")  # a fixed path: it appears in the snapshot
    shutil.rmtree(fixed, ignore_errors=True)
    monkeypatch.setenv("KDQUIZ_WORKSPACE", str(fixed))
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert "Press s to start" in _text(app, "#exercise-file")
        await assert_snapshot(app, pilot, "exercise_new")
        await pilot.press("s")
        path = Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py"
        assert path.exists()
        await pilot.press("c")
        await _wait(pilot, lambda: screen.result is not None, 180)
        assert screen.result.status == "fail"
        assert "NotImplementedError" in _text(app, "#exercise-results")
        await pilot.press("v")
        assert isinstance(app.screen, ExerciseScreen)  # the solution stays locked before a pass
        await pilot.press("h")
        assert "Hint 1/3" in _text(app, "#exercise-hints")
        screen.result = None
        path.write_text(GOOD_CODE)  # saved from another editor: the app re-checks by itself
        await _wait(
            pilot, lambda: screen.result is not None and screen.result.status == "pass", 180
        )
        assert "PASS 2/2" in _text(app, "#exercise-results")
        await pilot.press("v")
        await pilot.pause(0.2)
        assert isinstance(app.screen, SolutionScreen)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert "passing" in str(app.screen.query_one("DataTable").get_row_at(0))


async def test_embedded_editor_saves_and_rechecks(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("i")
        await pilot.pause(0.1)
        editor = app.screen.query_one(TextArea)
        assert editor.language == "python"
        editor.text = GOOD_CODE
        await pilot.press("ctrl+s")
        path = Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py"
        assert path.read_text() == GOOD_CODE
        await pilot.press("escape")
        await _wait(
            pilot, lambda: screen.result is not None and screen.result.status == "pass", 180
        )


async def test_keys_typed_just_before_ctrl_s_are_saved(make_app) -> None:  # type: ignore[no-untyped-def]
    """A burst of keys then Ctrl+S in the embedded editor: Ctrl+S (a priority binding) runs as
    it arrives, so it must wait for the keys queued ahead of it before it writes the file."""
    from textual import events
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await pilot.pause(0.2)
        await pilot.press("i")
        await pilot.pause(0.1)
        editor = app.screen.query_one(TextArea)
        editor.text = ""
        for letter in "pasted":  # posted as the terminal driver posts them, all at once
            app.post_message(events.Key(letter, letter))
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.2)
        assert (Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py").read_text() == "pasted"


async def test_hanging_submission_times_out_and_app_stays_responsive(
    make_app, course: Path
) -> None:  # type: ignore[no-untyped-def]
    meta = course / "exercises" / "toy" / "exercise.yaml"
    meta.write_text(meta.read_text().replace("timeout: 10", "timeout: 3"))
    workspace = Path(os.environ["KDQUIZ_WORKSPACE"])
    workspace.mkdir(parents=True)
    (workspace / "toy.py").write_text("def double(x):\n    while True:\n        pass\n")
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("c")
        await pilot.pause(0.3)
        await pilot.press("h")  # the UI answers while the check runs
        assert "Hint 1/3" in _text(app, "#exercise-hints")
        await _wait(pilot, lambda: screen.result is not None, 180)
        assert screen.result.status == "timeout"
        assert "TIMEOUT" in _text(app, "#exercise-results")
        assert "time limit" in _text(app, "#exercise-results")


async def test_progress_chart_and_practise_weakest(make_app) -> None:  # type: ignore[no-untyped-def]
    store = open_store()
    for day in range(5):
        when = FROZEN - timedelta(days=day, hours=1)
        store.review("single-q", "question", GOOD, event="answer", outcome="right", at=when)
        store.review("numeric-q", "question", 1, event="answer", outcome="wrong", at=when)
    store.close()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgressScreen)
        chart = _text(app, "#progress-history")
        assert "█" in chart and "06-15" in chart
        assert "streak: 5" in _text(app, "#progress-summary")
        await assert_snapshot(app, pilot, "progress_en")
        await pilot.press("w")
        await pilot.pause(0.1)
        assert isinstance(app.screen, QuizScreen)


async def test_settings_are_saved_and_checked(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#settings-size", Input).value = "500"
        await pilot.press("ctrl+s")
        assert load_settings().session_size == 10
        app.screen.query_one("#settings-size", Input).value = "7"
        app.screen.query_one("#settings-editor", Input).value = "vim"
        await pilot.press("ctrl+s")
        saved = load_settings()
        assert (saved.session_size, saved.editor) == (7, "vim")


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_help_lists_every_key_in_chinese(make_app, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(lang="zh")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        if size == (80, 24):
            await assert_snapshot(app, pilot, "help_zh_80x24")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def _wait(pilot, condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("condition not met in time")
