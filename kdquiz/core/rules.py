"""The rules of a question file beyond its schema: choices, short and numeric questions,
templates, open forms and follow-ups. Each rule reports through a :class:`FileChecker` at the
line of the offending key."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kdquiz.core import formula as formula_mod
from kdquiz.core.checker import FileChecker
from kdquiz.core.models import Question, QuestionType, Text, TopicFile
from kdquiz.core.problems import did_you_mean


def _check_choices(q: Question, loc: tuple[str | int, ...], chk: FileChecker) -> None:
    if q.type in (QuestionType.single, QuestionType.multiple, QuestionType.code):
        if not q.choices or len(q.choices) < 2:
            chk.add((*loc, "choices"), f"a {q.type.value} question needs at least 2 choices")
            return
        correct = sum(1 for c in q.choices if c.correct)
        if q.type in (QuestionType.single, QuestionType.code) and correct != 1:
            chk.add(
                (*loc, "choices"),
                f"a {q.type.value} question needs exactly one choice with 'correct: true' "
                f"(found {correct})",
            )
        if q.type is QuestionType.multiple and correct < 1:
            chk.add((*loc, "choices"), "a multiple question needs at least one correct choice")
        for index, choice in enumerate(q.choices):
            if not choice.correct and choice.why is None:
                chk.add(
                    (*loc, "choices", index),
                    "wrong choice has no 'why': say in one line why it is wrong",
                )
        texts = [c.text.en.strip().lower() for c in q.choices]
        if len(set(texts)) != len(texts):
            chk.add((*loc, "choices"), "two choices have the same English text")
    elif q.choices:
        chk.add((*loc, "choices"), f"a {q.type.value} question takes no 'choices'")


def _check_question(q: Question, loc: tuple[str | int, ...], chk: FileChecker) -> None:
    _check_choices(q, loc, chk)
    if q.type is QuestionType.code and not q.code:
        chk.add(loc, "a code question needs 'code' (the snippet to read)")
    if q.type is QuestionType.short:
        if q.answer is None:
            chk.add(loc, "a short question needs 'answer' (the model answer)")
        if not q.key_points or not 3 <= len(q.key_points) <= 6:
            count = len(q.key_points or [])
            chk.add((*loc, "key_points"), f"a short question needs 3-6 key_points (found {count})")
    elif q.key_points:
        chk.add((*loc, "key_points"), f"a {q.type.value} question takes no 'key_points'")
    if q.open is not None and q.type is QuestionType.short:
        chk.add((*loc, "open"), "a short question is open already: it takes no 'open' form")
    if q.id in q.follow_ups:
        chk.add((*loc, "follow_ups"), "a question cannot be its own follow-up")
    if q.type is QuestionType.numeric:
        _check_numeric(q, loc, chk)
    else:
        for key in ("value", "tolerance", "params", "formula", "unit"):
            if getattr(q, key) is not None:
                chk.add((*loc, key), f"'{key}' is only for numeric questions")


def _check_numeric(q: Question, loc: tuple[str | int, ...], chk: FileChecker) -> None:
    if q.tolerance is None:
        chk.add(loc, "a numeric question needs 'tolerance' (the absolute error accepted)")
    if q.formula is None and q.value is None:
        chk.add(loc, "a numeric question needs 'value', or 'params' and 'formula' for a template")
    if q.formula is not None and q.value is not None:
        chk.add((*loc, "value"), "give either 'value' or 'formula', not both")
    if (q.formula is None) != (q.params is None):
        chk.add(loc, "a numeric template needs both 'params' and 'formula'")
    if q.formula is None or q.params is None:
        placeholders = _placeholders(q.prompt)
        if placeholders:
            chk.add(
                (*loc, "prompt"),
                f"prompt uses {{{sorted(placeholders)[0]}}} but the question has no params",
            )
        return
    try:
        used = formula_mod.names_in(q.formula)
    except formula_mod.FormulaError as exc:
        chk.add((*loc, "formula"), str(exc))
        return
    unknown = sorted(used - set(q.params))
    for name in unknown:
        chk.add(
            (*loc, "formula"),
            f"formula uses '{name}', which is not a param{did_you_mean(name, q.params)}",
        )
    for name in sorted(_placeholders(q.prompt) - set(q.params)):
        chk.add(
            (*loc, "prompt"),
            f"prompt uses {{{name}}}, which is not a param{did_you_mean(name, q.params)}",
        )
    for lang_text in (q.prompt.en, q.prompt.zh):
        try:
            lang_text.format(**{name: 1 for name in q.params})
        except (KeyError, IndexError, ValueError):
            chk.add(
                (*loc, "prompt"),
                "a template prompt can only use {param}; write literal braces as {{ }}",
            )
            break
    if unknown:
        return
    # Evaluate at the first value of each param so a formula that always fails is caught now.
    sample = {name: (p.values[0] if p.values else p.range[0]) for name, p in q.params.items()}  # type: ignore[index]
    try:
        formula_mod.evaluate(q.formula, sample)
    except formula_mod.FormulaError as exc:
        chk.add((*loc, "formula"), str(exc))


def _placeholders(text: Text) -> set[str]:
    names: set[str] = set()
    for lang_text in (text.en, text.zh):
        try:
            # Only {identifier} is a placeholder: "{0, 1}" in a prompt is just a set.
            names |= {
                f for _, f, _, _ in string.Formatter().parse(lang_text) if f and f.isidentifier()
            }
        except ValueError:
            pass
    return names


@dataclass
class TopicLoad:
    """One question file's own outcome (nothing here depends on the other files)."""

    slug: str
    topic_file: TopicFile | None
    questions: list[tuple[int, Question]]
    """Each valid question with its index in the file's raw ``questions`` list."""


def check_topic_data(path: Path, data: Any, chk: FileChecker) -> TopicLoad | None:
    if not isinstance(data, dict):
        chk.add((), "a question file must be a mapping with 'topic', 'title' and 'questions'")
        return None
    try:
        topic_file = TopicFile.model_validate(data)
    except ValidationError as exc:
        chk.add_validation_error(exc)
        topic_file = None
    if topic_file is None:
        # Keep the questions that are valid on their own, so cross-file checks still see them.
        valid: list[Question] = []
        questions = data.get("questions")
        if isinstance(questions, list):
            for item in questions:
                try:
                    valid.append(Question.model_validate(item))
                except ValidationError:
                    pass
        topic_slug = str(data.get("topic") or path.stem)
    else:
        topic_slug = topic_file.topic
        if topic_file.topic != path.stem:
            chk.add(
                ("topic",),
                f"topic '{topic_file.topic}' differs from the file name '{path.stem}.yaml'",
                "warning",
            )
        valid = topic_file.questions
    raw = data.get("questions")
    raw_questions: list[Any] = raw if isinstance(raw, list) else []
    # A valid file's questions are its raw items, one for one; the valid subset of an invalid
    # file is mapped back to the raw items by id.
    raw_indices: dict[Any, int] = {}
    if topic_file is None:
        for i, item in enumerate(raw_questions):
            if isinstance(item, dict):
                key = item.get("id")
                if isinstance(key, str):
                    raw_indices.setdefault(key, i)
    found: list[tuple[int, Question]] = []
    for index, question in enumerate(valid):
        raw_index = index if topic_file is not None else raw_indices.get(question.id, index)
        if question.topic is None:
            question = question.model_copy(update={"topic": topic_slug})
        _check_question(question, ("questions", raw_index), chk)
        found.append((raw_index, question))
    return TopicLoad(topic_slug, topic_file, found)
