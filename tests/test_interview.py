"""Interview mode without a UI: seeded selection, the time plan, the verdict rules, saving and
resuming, the review queue, the candidate's file; and a whole session scripted through the CLI
with a fake clock."""

from __future__ import annotations

import ast
import json
import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kdquiz.cli.app import app
from kdquiz.core import interview as core
from kdquiz.core import interview_file as ivfile
from kdquiz.core import interview_plan as ivplan
from kdquiz.core import interview_score as ivscore
from kdquiz.core.content import load_content
from kdquiz.core.progress import AGAIN, GOOD, HARD, open_store

from .conftest import COURSE, ROOT

pytestmark = pytest.mark.usefixtures("shared_worker")  # not about starting a worker

runner = CliRunner()
GOOD_CODE = (
    "import torch\n\ndef double(x):\n    if x.dim() != 2:\n        raise ValueError('2-D')\n"
    "    return x * 2\n"
)


@pytest.fixture(scope="module")
def course_content():  # type: ignore[no-untyped-def]
    return load_content(COURSE, use_cache=False)


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    return load_content(ROOT, use_cache=False)  # module scope: before the per-test home exists


# -- selection and the plan ------------------------------------------------------------------------
def test_the_same_seed_gives_the_same_session(bundled) -> None:  # type: ignore[no-untyped-def]
    def plan(seed: int) -> list[tuple[str, str, dict[str, float]]]:
        session = ivplan.plan_session(bundled, minutes=30, seed=seed)
        return [(s.kind, s.item_id, s.params) for s in session.steps]

    assert plan(11) == plan(11)
    assert len({tuple(x[1] for x in plan(seed)) for seed in range(8)}) > 1  # seeds differ


def test_a_30_minute_session_has_three_concepts_two_follow_ups_and_coding(bundled) -> None:  # type: ignore[no-untyped-def]
    session = ivplan.plan_session(bundled, minutes=30, seed=1, level=2)
    kinds = [s.kind for s in session.steps]
    assert kinds.count("concept") == 3 and kinds.count("follow_up") == 2
    assert kinds[-1] == "coding"
    assert bundled.exercises[session.steps[-1].item_id].meta.interview is not None
    # the budgets share the whole session: a third concepts, a sixth follow-ups, half coding
    budget = {k: sum(s.budget_s for s in session.steps if s.kind == k) for k in set(kinds)}
    assert budget == pytest.approx({"concept": 600, "follow_up": 300, "coding": 900}, abs=0.5)
    # open questions first: every opener of the real bank can be asked open
    for step in session.steps:
        if step.kind == "concept":
            assert ivplan.is_open(bundled.questions[step.item_id])
    # one question per topic while topics last
    topics = [bundled.questions[s.item_id].topic for s in session.steps if s.kind == "concept"]
    assert len(set(topics)) == 3


def test_minutes_scale_every_part(bundled) -> None:  # type: ignore[no-untyped-def]
    short = ivplan.plan_session(bundled, minutes=10, seed=2)
    long = ivplan.plan_session(bundled, minutes=60, seed=2)
    assert sum(s.kind == "concept" for s in short.steps) == 2
    assert sum(s.kind == "follow_up" for s in long.steps) == 4
    for session in (short, long):
        assert sum(s.budget_s for s in session.steps) == pytest.approx(session.minutes * 60, abs=1)
        assert session.coding is not None
        assert session.coding.budget_s == pytest.approx(session.minutes * 30, abs=0.5)


def test_follow_ups_come_from_links_first_then_topic_and_difficulty(bundled) -> None:  # type: ignore[no-untyped-def]
    questions = bundled.questions
    parent = questions["why-multiply-by-t-squared"]
    rng = random.Random(0)
    linked = ivplan.choose_follow_ups(parent, questions, 2, set(), rng)
    assert [q.id for q in linked] == ["high-temperature-logit-matching", "soft-gradient-after-t2"]
    # a link already used falls back on the topic, one level harder first
    used = {"high-temperature-logit-matching", "soft-gradient-after-t2"}
    fallback = ivplan.choose_follow_ups(parent, questions, 1, used, rng)
    assert fallback[0].topic == parent.topic and fallback[0].id not in used
    pool = [
        q
        for q in questions.values()
        if q.topic == parent.topic and q.id not in used | {parent.id} and ivplan.is_open(q)
    ]
    assert ivplan.is_open(fallback[0])  # open ones first, then one level harder, then as hard
    harder = [q for q in pool if q.difficulty == parent.difficulty + 1]
    assert fallback[0].difficulty == (parent.difficulty + 1 if harder else parent.difficulty)


def test_topic_and_level_choose_questions_and_exercise(bundled) -> None:  # type: ignore[no-untyped-def]
    session = ivplan.plan_session(bundled, minutes=30, seed=4, topic="soft-targets", level=1)
    concepts = [bundled.questions[s.item_id] for s in session.steps if s.kind == "concept"]
    assert {q.topic for q in concepts} == {"soft-targets"}
    assert all(q.difficulty == 1 for q in concepts[:2])
    with pytest.raises(core.InterviewError) as error:
        ivplan.plan_session(bundled, topic="soft-target", seed=1)
    assert "did you mean" in str(error.value) and "soft-targets" in str(error.value)
    assert "未知主题" in error.value.message("zh")


def test_weak_topics_come_first_without_a_seed_only(course_content) -> None:  # type: ignore[no-untyped-def]
    content = load_content(ROOT)
    weakest = sorted(content.topics)[-1]
    weakness = {topic: (0.9 if topic == weakest else 0.1) for topic in content.topics}
    unseeded = ivplan.plan_session(content, weakness=weakness)
    assert content.questions[unseeded.steps[0].item_id].topic == weakest
    seeded = [
        ivplan.plan_session(content, weakness=w, seed=9).steps[0].item_id for w in ({}, weakness)
    ]
    assert seeded[0] == seeded[1]  # a seed replays the same session whatever the progress


# -- timing ------------------------------------------------------------------------------------------
def test_time_saved_early_is_available_later(course_content) -> None:  # type: ignore[no-untyped-def]
    session = ivplan.plan_session(course_content, minutes=30, seed=3)
    first, second = session.steps[0].budget_s, session.steps[1].budget_s
    assert session.time_left(0) == first
    assert not core.finish_answer(session, 0, "quick", 50)
    assert session.time_left(1) == first - 50 + second
    # an answer after time ran out is kept, but the step only counts its allowance
    assert core.finish_answer(session, 1, "slow but kept", 10_000)
    assert session.steps[1].answer == "slow but kept" and session.steps[1].timed_out
    assert session.steps[1].elapsed_s == first - 50 + second
    assert core.format_clock(61.2) == "1:02" and core.format_clock(-5) == "0:00"


# -- verdicts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("covered", "total", "verdict"),
    [
        (3, 4, "strong"),
        (4, 4, "strong"),
        (2, 4, "on_track"),
        (5, 8, "on_track"),
        (1, 4, "needs_work"),
        (0, 0, "needs_work"),
    ],
)
def test_concept_verdicts(covered: int, total: int, verdict: str) -> None:
    assert ivscore.part_verdict(covered, total) == verdict


@pytest.mark.parametrize(
    ("score", "max_score", "hints", "verdict"),
    [
        (8, 8, 0, "strong"),
        (8, 8, 1, "on_track"),
        (6, 8, 0, "on_track"),
        (5, 8, 0, "needs_work"),
        (0, 0, 0, "needs_work"),
    ],
)
def test_coding_verdicts(score: int, max_score: int, hints: int, verdict: str) -> None:
    assert ivscore.coding_verdict(core.Run("pass", score, max_score), hints) == verdict
    assert ivscore.coding_verdict(None, 0) == "needs_work"


def _parts(**verdicts: str) -> list[ivscore.PartCard]:
    return [ivscore.PartCard(part, 1, 0, 0, verdict=v) for part, v in verdicts.items()]


def test_overall_verdict_rules() -> None:
    assert (
        ivscore.overall_verdict(_parts(concept="strong", follow_up="strong", coding="strong"))
        == "strong"
    )
    assert (
        ivscore.overall_verdict(_parts(concept="strong", follow_up="on_track", coding="strong"))
        == "on_track"
    )
    assert (
        ivscore.overall_verdict(_parts(concept="strong", follow_up="strong", coding="needs_work"))
        == "needs_work"
    )
    assert (
        ivscore.overall_verdict(
            _parts(concept="needs_work", follow_up="needs_work", coding="strong")
        )
        == "needs_work"
    )
    assert (
        ivscore.overall_verdict(_parts(concept="needs_work", follow_up="strong", coding="strong"))
        == "on_track"
    )


def test_review_ratings_follow_the_share_of_key_points(course_content) -> None:  # type: ignore[no-untyped-def]
    question = course_content.questions["short-q"]  # three key points
    step = core.Step("concept", "short-q", 60)
    for ticked, rating in (([], AGAIN), ([0], AGAIN), ([0, 1], HARD), ([0, 1, 2], GOOD)):
        step.ticked = ticked
        assert ivscore.review_rating(step, question) == rating, ticked


def test_scorecard_and_review_queue_follow_what_happened(course_content) -> None:  # type: ignore[no-untyped-def]
    session = ivplan.plan_session(course_content, minutes=30, seed=3)
    expected = {}
    for index, step in enumerate(session.steps):
        question = course_content.questions.get(step.item_id)
        if step.kind == "coding":
            step.result = core.Run("fail", 1, 2, [("rejects a 1-D tensor", "check the dims")])
            step.clarifications, step.hints = [0, 2], 1
            expected[step.item_id] = None  # an attempt, not a review (docs/progress.md)
        elif ivplan.is_open(question):
            step.ticked = [] if index == 0 else list(range(6))
            expected[step.item_id] = AGAIN if index == 0 else GOOD
        else:
            step.correct = False
            expected[step.item_id] = AGAIN
        step.done = True
    store = open_store()
    try:
        for index in range(len(session.steps)):
            ivscore.record_step(store, session, index, course_content)
            ivscore.record_step(store, session, index, course_content)  # once only
        events = [e for e in store.events() if e.event in ("answer", "check")]
        soon = datetime.now(timezone.utc) + timedelta(minutes=5)
        due_soon = {item for item, _kind, _at in store.due(now=soon)}
    finally:
        store.close()
    assert len(events) == len(session.steps)
    assert {e.item_id: e.rating for e in events} == expected
    card = ivscore.scorecard(session, course_content)
    coding = card.parts[-1]
    assert (coding.tests_passed, coding.tests_total, coding.clarifications, coding.hints) == (
        1,
        2,
        2,
        1,
    )
    assert coding.verdict == "needs_work" and card.verdict == "needs_work"
    assert card.misconceptions == [("rejects a 1-D tensor", "check the dims")]
    weak = {item for item, rating in expected.items() if rating in (AGAIN, None)}
    assert set(card.weak_items) == weak
    assert due_soon == weak  # Again and the failed exercise come back at once; the rest later


# -- saving ------------------------------------------------------------------------------------------
def test_a_saved_session_loads_back_and_resumes_at_the_first_open_step(course_content) -> None:  # type: ignore[no-untyped-def]
    session = ivplan.plan_session(course_content, minutes=20, seed=5)
    session.steps[0].answer, session.steps[0].done = "kept", True
    session.steps[-1].runs.append(core.Run("fail", 1, 2, [("a", "b")]))
    core.save(session)
    assert core.resumable() is not None
    loaded = core.load(core.session_path(session.id))
    assert loaded == session and loaded.current == 1
    core.finish(loaded)
    core.save(loaded)
    assert core.resumable() is None
    assert [s.id for s in core.history()] == [session.id]
    broken = core.sessions_dir() / "broken.json"
    broken.write_text("{not json")
    assert [s.id for s in core.history()] == [session.id]  # skipped, not fatal
    with pytest.raises(core.InterviewError):
        core.load(broken)


def test_the_candidates_file_holds_only_signatures_and_summaries(bundled) -> None:  # type: ignore[no-untyped-def]
    exercise = bundled.exercises["kd_loss"]
    text = ivfile.interview_file_text(exercise, "en", ["Mock interview", "Implement it."])
    tree = ast.parse(text)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [f.name for f in functions] == ["distillation_loss"]
    assert ast.get_docstring(functions[0]) == "The distillation loss, a 0-dim tensor."
    assert "TODO" not in text and "batch" not in text and "KL" not in text  # no checklist
    assert "temperature: float = 4.0" in text and text.startswith("# Mock interview\n")
    for ex in bundled.exercises.values():  # every exercise's file parses, in both languages
        for lang in ("en", "zh"):
            ast.parse(ivfile.interview_file_text(ex, lang, ["x"]))


# -- the CLI -----------------------------------------------------------------------------------------
def _course(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def _script(content, session: core.Session) -> list[str]:  # type: ignore[no-untyped-def]
    """The lines a candidate types: every open answer ticks its first key point, fallbacks are
    answered right; in coding two clarifications, a run, done."""
    lines: list[str] = []
    for step in session.steps:
        if step.kind == "coding":
            lines += ["c", "1", "c", "2", "r", "d"]
            continue
        question = content.questions[step.item_id]
        if ivplan.is_open(question):
            lines += ["my answer in my words", "1"]
        else:
            asked = ivplan.asked_question(question, step.params)
            lines.append(
                f"{asked.expected}" if question.type.value == "numeric" else asked.correct_letters()
            )
    return lines


def test_a_whole_session_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = _course(tmp_path)
    content = load_content(course, use_cache=False)
    planned = ivplan.plan_session(content, minutes=30, seed=3)
    lines = _script(content, planned)
    monkeypatch.setenv("KDQUIZ_FAKE_CLOCK", "60")  # every answer takes a minute
    # the candidate saves a correct file just before running the checks
    written: dict[str, bool] = {}
    real_grade = __import__("kdquiz.cli.interview_cmds", fromlist=["_grade"])._grade

    def grade_after_writing(exercise, path, zygote):  # type: ignore[no-untyped-def]
        if not written:
            Path(path).write_text(GOOD_CODE)
            written["yes"] = True
        return real_grade(exercise, path, zygote)

    monkeypatch.setattr("kdquiz.cli.interview_cmds._grade", grade_after_writing)
    result = runner.invoke(
        app,
        ["--content", str(course), "interview", "--minutes", "30", "--seed", "3"],
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[Concepts 1/3 · 3:20 left]" in out  # time left at each prompt
    assert "[Follow-ups 1/2 · 4:50 left]" in out  # 3:20 + 2:30 - the minute taken
    assert "Interviewer: A 2-D tensor." in out and "Interviewer: Raise a ValueError." in out
    assert "Run 1: 2/2 tests pass" in out and "Final: 2/2 hidden tests pass." in out
    assert "tests passed: 2/2 · clarifications: 2 · runs: 1 · hints: 0" in out
    # each answer took 60 fake seconds; coding: 6 inputs
    assert "Coding (1): 6:00 of the 15:00 planned · strong" in out
    assert "Verdict: on track" in out  # one key point of each open answer: needs work there
    history = runner.invoke(app, ["--content", str(course), "interview", "--history", "--json"])
    sessions = json.loads(history.output)
    assert len(sessions) == 1 and sessions[0]["status"] == "finished"
    assert sessions[0]["exercise"] == "toy" and sessions[0]["seed"] == 3
    assert sessions[0]["questions"] == [s.item_id for s in planned.steps if s.kind != "coding"]
    text = runner.invoke(app, ["--content", str(course), "interview", "--history"]).output
    assert sessions[0]["id"] in text
    store = open_store()
    try:
        soon = datetime.now(timezone.utc) + timedelta(minutes=5)
        due_soon = {item for item, _kind, _at in store.due(now=soon)}
        weak = [s["weak_items"] for s in sessions][0]
        assert weak and due_soon == set(weak)  # weak answers come back first
    finally:
        store.close()


def test_the_cli_in_chinese_and_an_interrupted_session_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = _course(tmp_path)
    monkeypatch.setenv("KDQUIZ_FAKE_CLOCK", "30")
    first = runner.invoke(
        app,
        ["--content", str(course), "--lang", "zh", "interview", "--seed", "3"],
        input="我的回答\n1 2\n",  # one answer, then the input ends (as a Ctrl-C would)
    )
    assert first.exit_code == 1
    assert (
        "[概念题 1/3 · 剩余 3:20]" in first.output and "kdquiz interview --resume" in first.output
    )
    saved = core.resumable()
    assert saved is not None and saved.steps[0].done and saved.steps[0].ticked == [0, 1]
    again = runner.invoke(
        app, ["--content", str(course), "--lang", "zh", "interview", "--resume"], input=""
    )
    assert "继续模拟面试" in again.output and "[概念题 1/3" not in again.output
    nothing = runner.invoke(app, ["--content", str(course), "interview", "--history"])
    assert "unfinished" in nothing.output


def test_the_readme_interview_commands_work_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `kdquiz interview` line of the README's section runs (on the bundled content): an
    interactive one starts and, its input ending at once, saves the session; --resume picks it up,
    --history lists it."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Interview mode", 1)[1].split("\n### ", 1)[0]
    commands = [
        line.split("#", 1)[0].strip()
        for line in section.splitlines()
        if line.startswith("kdquiz interview")
    ]
    assert len(commands) >= 4
    monkeypatch.setenv("KDQUIZ_FAKE_CLOCK", "1")
    for command in commands:
        args = shlex.split(command)[1:]
        result = runner.invoke(app, args, input="")
        assert result.exit_code in (0, 1), (command, result.output)
        if "--history" in args:
            assert "unfinished" in result.output, result.output
        elif "--resume" in args:
            assert "Resuming mock interview" in result.output, result.output
        else:
            assert "[Concepts 1/" in result.output and "--resume" in result.output, result.output
