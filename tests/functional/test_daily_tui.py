"""The daily loop in the app (issue 14): saves by rename are seen again and again, a result older
than the file says so, Esc mid-quiz asks then sums up, the same rating keys as the terminal, the
right option missed is named, a missing editor never blanks the screen, the editor keeps the
indentation, and the store's writes never run on the UI thread."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kdquiz.core.progress import GOOD, open_store
from kdquiz.tui.screens.editor import next_line_indent
from kdquiz.tui.screens.exercise import ExerciseScreen
from kdquiz.tui.screens.quiz import QuizScreen

from .conftest import settle
from .test_tui import GOOD_CODE, _text, _wait

BROKEN = "import torch\n\ndef double(x):\n    return x * 3\n"


def _rename_save(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


async def test_rename_saves_recheck_every_time_and_a_stale_result_says_so(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("s")
        path = Path(os.environ["KDQUIZ_WORKSPACE"]) / "toy.py"
        await pilot.pause(0.5)  # the watcher is up
        for text, status in ((BROKEN, "fail"), (GOOD_CODE, "pass"), (BROKEN, "fail")):
            _rename_save(path, text)  # the first rename used to silence the watcher for good
            await _wait(
                pilot,
                lambda s=status: (
                    screen.result is not None
                    and screen.result.status == s
                    and screen.result.sha256 != ""
                ),
                180,
            )
        assert "older version" not in _text(app, "#exercise-results")
        path.write_text(BROKEN + "\n# edited\n")  # on disk, newer than the result shown
        screen._render_results()
        assert "older version of the file" in _text(app, "#exercise-results")
        # (no settle() once the file watcher runs: it is a worker that never completes)
        store = open_store()
        await _wait(pilot, lambda: len([e for e in store.events("toy") if e.event == "check"]) >= 3)
    checks = [e for e in store.events("toy") if e.event == "check"]
    assert [e.rating for e in checks if e.rating is not None] == [GOOD]  # saves are drafts
    assert all(not e.details()["seen"] for e in checks)
    store.close()


async def test_reopening_an_exercise_shows_its_last_result(make_app) -> None:  # type: ignore[no-untyped-def]
    store = open_store()
    store.record_check("toy", "fail", 1, 2, seen=True)
    store.close()
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await settle(app, pilot)
        assert "Last check" in _text(app, "#exercise-results")
        assert "FAIL" in _text(app, "#exercise-results") and "1/2" in _text(
            app, "#exercise-results"
        )


async def test_escape_mid_quiz_asks_then_shows_the_summary(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        content = app.content
        questions = [content.questions["single-q"], content.questions["numeric-q"]]
        app.push_screen(QuizScreen(questions=questions))
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("b", "enter")  # right
        await pilot.press("escape")
        assert screen.phase == "confirm" and "Leave this quiz?" in _text(app, "#quiz-instructions")
        await pilot.press("n")
        assert screen.phase == "answered" and app.screen is screen
        await pilot.press("escape", "y")
        assert screen.phase == "done" and "1/1 right" in _text(app, "#quiz-status")
        await pilot.press("escape")
        assert app.screen is not screen


async def test_self_rating_takes_the_terminals_keys_and_ticks_use_the_questions_n(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        short = app.content.questions["short-q"]  # three key points
        app.push_screen(QuizScreen(questions=[short, short]))
        await settle(app, pilot)
        screen = app.screen
        await pilot.press(*"words", "enter")
        assert "(1–3)" in _text(app, "#quiz-instructions")
        await pilot.press("4")  # not a key point of this question: nothing happens
        assert screen.ticked == set() and screen.phase == "rating"
        await pilot.press("2", "enter", "4")  # tick 2, then rate with a digit: Easy
        assert screen.verdict.rating == 4 and screen.ticked == {1}
        await pilot.press("enter", *"again", "enter", "h")  # a letter rates at once
        assert screen.verdict.rating == 2
        await settle(app, pilot)
    store = open_store()
    ratings = [e.rating for e in store.events("short-q")]
    assert ratings == [4, None]  # the second answer in the session is a re-try, not a review
    store.close()


async def test_multiple_choice_feedback_names_the_missed_right_option(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(QuizScreen(questions=[app.content.questions["multiple-q"]]))
        await settle(app, pilot)
        await pilot.press("a", "enter")
        feedback = _text(app, "#quiz-feedback")
        assert "You missed the right option c) KL is zero for equal distributions" in feedback


async def test_a_missing_editor_is_named_and_the_screen_stays(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EDITOR", "no-such-editor-kdquiz")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await settle(app, pilot)
        screen = app.screen
        said: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_: said.append(message))
        await pilot.press("o")
        assert app.screen is screen
        assert said and "no-such-editor-kdquiz" in said[0] and "$EDITOR" in said[0]


@pytest.mark.parametrize(
    "line,indent",
    [
        ("    x = 1", "    "),
        ("def f(x):", "    "),
        ("    if x:  # comment", "        "),
        ("", ""),
        ('    s = "a:"', "    "),
    ],
)
def test_enter_keeps_the_indentation(line: str, indent: str) -> None:
    assert next_line_indent(line) == indent


async def test_the_embedded_editor_indents_on_enter(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(ExerciseScreen("toy"))
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause(0.1)
        editor = app.screen.query_one(TextArea)
        editor.text = ""
        await pilot.press(*"def f(x):", "enter", *"if x:", "enter", *"return x")
        assert editor.text == "def f(x):\n    if x:\n        return x"


async def test_store_writes_never_run_on_the_ui_thread(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kdquiz.core import progress

    threads: list[bool] = []
    real = progress.ProgressStore._write

    def spy(self, write, patience=None):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(self, write, patience)

    monkeypatch.setattr(progress.ProgressStore, "_write", spy)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(QuizScreen(questions=[app.content.questions["numeric-q"]]))
        await settle(app, pilot)
        await pilot.press(*"0.5", "enter")
        app.push_screen(ExerciseScreen("toy"))
        await settle(app, pilot)
        await pilot.press("s", "h")
        await _wait(pilot, lambda: len(threads) >= 3)  # not settle(): the watcher never completes
    assert threads and not any(threads)  # answer, start, hint: all from worker threads


async def test_a_damaged_store_is_told_and_the_app_keeps_working(make_app) -> None:  # type: ignore[no-untyped-def]
    from kdquiz.tui.screens.home import HomeScreen

    db = Path(os.environ["KDQUIZ_HOME"]) / "progress.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"not a database" * 200)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "damaged" in _text(app, "#home-error")
        said: list[str] = []
        app.push_screen(QuizScreen(questions=[app.content.questions["numeric-q"]]))
        await settle(app, pilot)
        screen = app.screen
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press(*"0.5", "enter")
        await settle(app, pilot)
        assert screen.phase == "answered" and any("damaged" in m for m in said)
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, HomeScreen)  # still running, still answering keys
    assert len(list(db.parent.glob("*.damaged-*"))) == 1  # one copy, however often it was opened


async def test_writes_keep_their_order_so_a_hint_before_a_pass_makes_it_hard(make_app) -> None:  # type: ignore[no-untyped-def]
    import time

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)

        def slow_hint(store):  # type: ignore[no-untyped-def]
            time.sleep(0.3)  # a hint whose write is slow (a busy disk) still comes first
            return store.record_hint("toy", 1)

        app.queue_write(slow_hint)
        app.queue_write(lambda store: store.record_check("toy", "pass", 2, 2, seen=False))
        await settle(app, pilot)
    store = open_store()
    assert [e.event for e in store.events("toy")] == ["hint", "check"]
    assert [e.rating for e in store.events("toy") if e.rating is not None] == [2]  # Hard
    store.close()


async def test_writes_queued_when_the_app_closes_are_saved(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app._writes.append(lambda store: store.record_answer("numeric-q", "right"))
    assert app.unsaved_report == ""
    store = open_store()
    assert [e.rating for e in store.events("numeric-q")] == [GOOD]
    store.close()
