"""Scaffolding for instructors: a new question appended to a topic file, or a new exercise with
every file it needs. The results validate at once (with warnings for the TODOs left to fill in).

YAML is written as text, not re-dumped, so an instructor's comments and layout survive.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kdquiz.core.models import SLUG_RE

KINDS = ("single", "multiple", "short", "numeric", "code")


class AuthoringError(Exception):
    """The scaffold cannot be written (the message says why)."""


def _text(field: str, indent: str, what: str) -> str:
    return f'{indent}{field}:\n{indent}  en: "TODO: {what}"\n{indent}  zh: "TODO：{what}（中文）"\n'


def question_skeleton(question_id: str, kind: str, reference: str) -> str:
    """A complete, commented question of ``kind`` as YAML list item text."""
    if kind not in KINDS:
        raise AuthoringError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    i = "    "
    lines = [
        f"  - id: {question_id}  # stable: progress is keyed by it; never change it once published\n",
        f"{i}type: {kind}  # single | multiple | short | numeric | code\n",
        f"{i}difficulty: 2  # 1 warm-up, 2 typical interview, 3 hard follow-up\n",
        f"{i}tags: []  # slugs used for filtering, e.g. [temperature]\n",
        _text("prompt", i, "the question as asked"),
    ]
    if kind == "code":
        lines.append(
            f"{i}code: |  # the snippet to read; the bug should be findable from it alone\n"
            f"{i}  # TODO: paste the code here\n{i}  pass\n"
        )
    if kind in ("single", "multiple", "code"):
        lines.append(
            f"{i}choices:  # one 'correct: true' for single/code; at least one for multiple\n"
        )
        lines.append(
            f'{i}  - text: {{en: "TODO: the right answer", zh: "TODO：正确答案"}}\n{i}    correct: true\n'
        )
        lines.append(
            f'{i}  - text: {{en: "TODO: a real misconception", zh: "TODO：一个常见误解"}}\n'
            f'{i}    why: {{en: "TODO: why it is wrong, in one line", zh: "TODO：一句话说明错在哪里"}}\n'
        )
        if kind == "multiple":
            lines.append(
                f'{i}  - text: {{en: "TODO: another right answer", zh: "TODO：另一个正确答案"}}\n{i}    correct: true\n'
            )
    if kind == "short":
        lines.append(_text("answer", i, "the model answer an interviewer would be happy with"))
        lines.append(f"{i}key_points:  # 3-6 points the learner ticks off\n")
        for n in (1, 2, 3):
            lines.append(f'{i}  - {{en: "TODO: key point {n}", zh: "TODO：要点 {n}"}}\n')
    if kind == "numeric":
        lines.append(
            f"{i}value: 0.0  # the right number (or use params + formula for fresh numbers each time)\n"
            f"{i}tolerance: 0.01  # absolute error accepted; say the rounding in the prompt\n"
        )
    lines.append(_text("explanation", i, "why the answer is right: teach the idea"))
    lines.append(f"{i}references: [{reference}]  # keys of questions/bibliography.yaml\n")
    lines.append(f"{i}related_exercises: []  # exercise ids that practise this idea\n")
    return "".join(lines)


def add_question(
    root: Path,
    topic: str,
    kind: str,
    reference: str,
    existing_ids: set[str],
    title: tuple[str, str] | None = None,
) -> tuple[Path, str]:
    """Append a skeleton question to questions/<topic>.yaml (creating the file); (path, id).

    ``title`` (English, Chinese) is the topic's title where the topic already exists elsewhere
    (the bundled content a tree extends): a new file for it keeps that title, not a TODO."""
    if not SLUG_RE.match(topic):
        raise AuthoringError(f"topic {topic!r} is not a slug (lowercase letters, digits, '-')")
    number = 1
    while f"{topic}-new-{number}" in existing_ids:
        number += 1
    question_id = f"{topic}-new-{number}"
    path = root / "questions" / f"{topic}.yaml"
    item = question_skeleton(question_id, kind, reference)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        top_keys = re.findall(r"^([A-Za-z_]+):", text, flags=re.M)
        if not top_keys or top_keys[-1] != "questions":
            raise AuthoringError(
                f"{path}: 'questions:' must be the last top-level key to append to it"
            )
        if re.search(r"^questions:\s*\[\s*\]\s*$", text, flags=re.M):
            text = re.sub(r"^questions:\s*\[\s*\]\s*$", "questions:", text, flags=re.M)
        path.write_text(text.rstrip("\n") + "\n\n" + item, encoding="utf-8")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = (
            f"# Questions on {topic}. Format: run 'kdquiz schema', or see docs/authoring.md.\n"
            f"format_version: 1\ntopic: {topic}\n"
            + (
                f"title: {{en: {json.dumps(title[0], ensure_ascii=False)}, "
                f"zh: {json.dumps(title[1], ensure_ascii=False)}}}\n"
                if title
                else f'title: {{en: "TODO: {topic} title", zh: "TODO：{topic} 标题"}}\n'
            )
            + "questions:\n"
        )
        path.write_text(header + item, encoding="utf-8")
    return path, question_id


EXERCISE_YAML = """\
# The metadata of exercise '{id}'. Run 'kdquiz validate' and 'kdquiz dev check {id}' as you edit.
format_version: 1
id: {id}
title: {{en: "TODO: a short title", zh: "TODO：简短标题"}}
topic: {topic}  # a topic slug shared with the question bank
difficulty: 2  # 1 entry, 2 core, 3 advanced
functions:
  - name: solve
    signature: "solve(x: Tensor) -> Tensor"
hints:  # in increasing strength; the last may nearly give the answer
  - {{en: "TODO: a nudge", zh: "TODO：点拨"}}
  - {{en: "TODO: a stronger hint", zh: "TODO：更明确的提示"}}
  - {{en: "TODO: almost the answer", zh: "TODO：几乎就是答案"}}
mutants:  # known-wrong solutions in solutions/{id}/mutants/: the suite must reject each
  - file: wrong_scale.py
    misconception: "TODO: name the mistake this mutant embodies"
alternatives:  # correct solutions written differently, in solutions/{id}/alternatives/
  - file: addition.py
    note: "TODO: how it differs from the reference"
timeout: 20
tags: []
interview:  # how an interviewer poses it (kdquiz interview); see docs/interview.md
  prompt:  # 2-5 lines as said in an interview, no list of checks
    en: "TODO: Implement ... (as an interviewer would say it)"
    zh: "TODO：实现……（面试官的说法）"
  clarifications:  # at least 3: what a good candidate asks, the interviewer's short answer
    - question: {{en: "TODO: a clarifying question", zh: "TODO：一个澄清问题"}}
      answer: {{en: "TODO: the short answer", zh: "TODO：简短的回答"}}
    - question: {{en: "TODO: another question", zh: "TODO：另一个问题"}}
      answer: {{en: "TODO: its answer", zh: "TODO：回答"}}
    - question: {{en: "TODO: a third question", zh: "TODO：第三个问题"}}
      answer: {{en: "TODO: its answer", zh: "TODO：回答"}}
"""

STATEMENT = {
    "en": "# TODO: title\n\nTODO: the task, the formula, the shapes and dtypes, the tolerance the grader uses,\n"
    "and one small worked example with real numbers.\n\n"
    "Implement `solve(x)`: return `2 * x`. (Replace this placeholder task.)\n",
    "zh": "# TODO：标题\n\nTODO：任务、公式、形状与数据类型、评分容差，以及一个带具体数字的小例子。\n\n"
    "实现 `solve(x)`：返回 `2 * x`。（请替换这个占位任务。）\n",
}

STARTER = '''"""TODO: one line on what to implement (the learner sees this file first)."""

import torch


def solve(x: torch.Tensor) -> torch.Tensor:
    """Return 2 * x (a placeholder task: replace it)."""
    # TODO: implement
    raise NotImplementedError
'''

SUITE = '''"""The hidden suite of '{id}'. See docs/authoring.md: tests receive `submission` (runs in the
sandbox), `reference` (the reference solution, in the judge) and `seeds` (fresh random seeds)."""

import pytest
import torch

from kdquiz.grading.suite import expect_close, seeded


def test_matches_the_reference(submission, reference, seeds):
    """matches the reference on random inputs

    zh: 在随机输入上与参考答案一致
    """
    for seed in seeds:
        x = torch.randn(4, 3, generator=seeded(seed))
        expect_close(submission.solve(x), reference.solve(x), atol=1e-6, case="B=4, C=3")


@pytest.mark.feedback(en="TODO: the question to ask yourself", zh="TODO：该问自己的问题", hint=2)
def test_edge_case(submission, reference):
    """handles a batch of 1

    zh: 能处理大小为 1 的 batch
    """
    x = torch.tensor([[1.0, -2.0, 3.0]])
    expect_close(submission.solve(x), reference.solve(x), atol=1e-6, case="B=1")
'''

REFERENCE = '''"""Reference solution (never shown to learners before they pass or give up)."""

import torch


def solve(x: torch.Tensor) -> torch.Tensor:
    return 2 * x
'''

MUTANT = '''"""Mutant: TODO describe the misconception (the suite must reject this)."""

import torch


def solve(x: torch.Tensor) -> torch.Tensor:
    return 3 * x
'''

ALTERNATIVE = '''"""A correct alternative written differently (the suite must accept this)."""


def solve(x):
    return x + x
'''


def new_exercise(root: Path, exercise_id: str, topic: str) -> list[Path]:
    """Create every file of a new exercise and add it to exercises/info.yaml; the files written."""
    if not re.fullmatch(r"[a-z0-9_]+", exercise_id):
        raise AuthoringError(
            f"exercise id {exercise_id!r} must be lowercase letters, digits and '_'"
        )
    if not SLUG_RE.match(topic):
        raise AuthoringError(f"topic {topic!r} is not a slug (lowercase letters, digits, '-')")
    folder = root / "exercises" / exercise_id
    solutions = root / "solutions" / exercise_id
    if folder.exists() or solutions.exists():
        raise AuthoringError(f"{folder} or {solutions} already exists: choose another id")
    files = {
        folder / "exercise.yaml": EXERCISE_YAML.format(id=exercise_id, topic=topic),
        folder / "statement.en.md": STATEMENT["en"],
        folder / "statement.zh.md": STATEMENT["zh"],
        folder / "starter.py": STARTER,
        folder / "test_hidden.py": SUITE.format(id=exercise_id),
        solutions / "reference.py": REFERENCE,
        solutions / "mutants" / "wrong_scale.py": MUTANT,
        solutions / "alternatives" / "addition.py": ALTERNATIVE,
    }
    info = root / "exercises" / "info.yaml"
    info_text = _with_exercise(info, exercise_id)  # checked before anything is written
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info.write_text(info_text, encoding="utf-8")
    return [*files, info]


def _with_exercise(info: Path, exercise_id: str) -> str:
    """The text of exercises/info.yaml with ``exercise_id`` added at the end of its order."""
    if not info.exists():
        return f"format_version: 1\norder:\n  - {exercise_id}\n"
    text = info.read_text(encoding="utf-8")
    flow = re.search(r"^order:[ \t]*\[([^\]]*)\]", text, flags=re.M)
    if flow:
        items = [i.strip() for i in flow.group(1).split(",") if i.strip()]
        return (
            text[: flow.start()]
            + f"order: [{', '.join([*items, exercise_id])}]"
            + text[flow.end() :]
        )
    block = re.search(r"^order:[ \t]*\n((?:[ \t]+-[^\n]*\n|[ \t]*#[^\n]*\n)*)", text, flags=re.M)
    if block:
        return text[: block.end()] + f"  - {exercise_id}\n" + text[block.end() :]
    raise AuthoringError(f"{info}: cannot find the 'order:' list to add {exercise_id} to")
