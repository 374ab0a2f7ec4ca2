"""Interview mode in the app, driven through Textual's Pilot with a fake clock: a whole session
from the home screen to the scorecard, time's up keeping what was typed, and the review queue."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, TextArea

from kdquiz.core import interview as core
from kdquiz.core import interview_score as ivscore
from kdquiz.core.progress import open_store
from kdquiz.tui.screens.home import HomeScreen
from kdquiz.tui.screens.interview import InterviewScreen
from kdquiz.tui.screens.interview_clarify import ClarifyScreen
from kdquiz.tui.screens.interview_coding import InterviewCodingScreen
from kdquiz.tui.screens.interview_scorecard import InterviewScorecardScreen
from kdquiz.tui.screens.interview_setup import InterviewSetupScreen

from .conftest import settle

GOOD_CODE = (
    "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n"
    "    return x * 2\n"
)


async def _start(app, pilot, seed: str = "3"):  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("i")
    await pilot.pause(0.1)
    assert isinstance(app.screen, InterviewSetupScreen)
    app.screen.query_one("#iv-seed", Input).value = seed
    await pilot.press("ctrl+s")
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    return screen


async def _answer_concept(pilot, screen: InterviewScreen, clock: core.FakeClock) -> None:  # type: ignore[no-untyped-def]
    """Answer the current concept step: open ones typed and all key points ticked, fallbacks
    answered right; 40 fake seconds each."""
    assert screen.asked is not None
    clock.advance(40)
    if screen.opened is not None:
        await pilot.press(*"my answer")
        await pilot.press("ctrl+s")
        assert screen.phase == "comparing"
        await pilot.press(*[str(i + 1) for i in range(len(screen.opened.key_points))])
        await pilot.press("enter")
    elif screen.asked.question.type.value == "numeric":
        await pilot.press(*f"{screen.asked.expected:.6f}", "enter")
        assert screen.phase == "answered"
        await pilot.press("enter")
    else:
        await pilot.press(*screen.asked.correct_letters(), "enter")
        assert screen.phase == "answered"
        await pilot.press("enter")
    await pilot.pause(0.05)


async def test_a_whole_interview_in_the_app(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    clock = core.FakeClock()
    app.interview_clock = clock
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(app, pilot)
        session = screen.session
        assert session.seed == 3 and [s.kind for s in session.steps][-1] == "coding"
        assert "Concepts 1/3" in screen.sub_title and "3:20 left" in screen.sub_title
        while not isinstance(app.screen, InterviewCodingScreen):
            await _answer_concept(pilot, screen, clock)
        coding = app.screen
        assert "Coding 1/1" in coding.sub_title
        path = Path(coding.step.file)
        assert (
            "raise NotImplementedError" in path.read_text() and "Mock interview" in path.read_text()
        )
        # two clarifications from the menu
        for ask in range(2):
            await pilot.press("a")
            await pilot.pause(0.05)
            assert isinstance(app.screen, ClarifyScreen)
            await pilot.press(*["down"] * ask, "enter")
            await pilot.pause(0.05)
        assert coding.step.clarifications == [0, 1]
        assert "Raise a ValueError." in str(
            coding.query_one("#iv-coding-asked").content.renderables[-1]
        )
        path.write_text(GOOD_CODE)
        clock.advance(120)
        await pilot.press("r")
        await settle(app, pilot)
        assert len(coding.step.runs) == 1 and coding.step.runs[0].score == 2
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, InterviewScorecardScreen)
        card = ivscore.scorecard(session, app.content)
        assert card.verdict == ivscore.STRONG, card
        coding_part = card.parts[-1]
        assert (coding_part.clarifications, coding_part.runs, coding_part.tests_passed) == (2, 1, 2)
        assert coding_part.time_used_s == 120
        # saved as finished, and every step in the review queue
        saved = json.loads(core.session_path(session.id).read_text())
        assert saved["status"] == "finished"
        assert all(step["recorded"] for step in saved["steps"])
        store = open_store()
        try:
            recorded = {e.item_id for e in store.events() if e.event in ("answer", "check")}
        finally:
            store.close()
        assert recorded == {s.item_id for s in session.steps}
        await pilot.press("s")  # the full statement, one key away
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "ExerciseScreen"


async def test_times_up_moves_on_and_keeps_the_typed_text(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh")
    clock = core.FakeClock()
    app.interview_clock = clock
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(app, pilot)
        assert screen.opened is not None and "概念题 1/3" in screen.sub_title
        await pilot.press(*"half an answer")
        screen.tick()  # the draft is saved every second
        saved = core.load(core.session_path(screen.session.id))
        assert saved.steps[0].answer == "half an answer" and not saved.steps[0].done
        clock.advance(10_000)
        screen.tick()
        await pilot.pause(0.05)
        step = screen.session.steps[0]
        assert screen.phase == "comparing" and step.timed_out
        assert step.answer == "half an answer"
        assert step.elapsed_s == step.budget_s  # time beyond the allowance is not counted
        assert not screen.query_one("#iv-answer", TextArea).display


async def test_an_interrupted_session_resumes_where_it_stopped(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    clock = core.FakeClock()
    app.interview_clock = clock
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(app, pilot, seed="5")
        await _answer_concept(pilot, screen, clock)
        first = screen.session.id
    app = make_app()
    app.interview_clock = clock
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause(0.1)
        assert first in str(app.screen.query_one("#iv-setup-resume").content)
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.session.id == first
        assert screen.index == 1


async def test_coding_times_up_saves_the_editor_and_grades_it(make_app) -> None:  # type: ignore[no-untyped-def]
    from kdquiz.tui.screens.editor import EditorScreen

    app = make_app()
    clock = core.FakeClock()
    app.interview_clock = clock
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(app, pilot, seed="8")
        while not isinstance(app.screen, InterviewCodingScreen):
            await _answer_concept(pilot, screen, clock)
        coding = app.screen
        await pilot.press("i")
        await pilot.pause(0.1)
        assert isinstance(app.screen, EditorScreen)
        code = GOOD_CODE if coding.step.item_id == "toy" else "def negate(x):\n    return -x\n"
        app.screen.query_one(TextArea).load_text(code)  # typed, never saved
        clock.advance(coding.session.allowance(coding.index) + 1)
        coding.tick()
        await settle(app, pilot)
        assert Path(coding.step.file).read_text() == code
        assert isinstance(app.screen, InterviewScorecardScreen)
        assert coding.step.timed_out and coding.step.result is not None
        assert coding.step.result.status == "pass", coding.step.result


async def test_keys_typed_just_before_ctrl_s_are_in_the_answer(make_app) -> None:  # type: ignore[no-untyped-def]
    """A burst of keys (a paste, a fast typist) then Ctrl+S: Ctrl+S is a priority binding and
    runs as it arrives, before the answer box has taken the keys queued ahead of it."""
    from textual import events

    app = make_app()
    app.interview_clock = core.FakeClock()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(app, pilot)
        assert screen.opened is not None
        for letter in "pastedanswer":  # posted as the terminal driver posts them, all at once
            app.post_message(events.Key(letter, letter))
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.2)
        assert screen.phase == "comparing"
        assert screen.session.steps[0].answer == "pastedanswer"
