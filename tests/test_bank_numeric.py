"""Every numeric answer in the bank is recomputed independently with torch, so a wrong number
cannot ship: fixed values must match, and templates must agree on many fresh draws.

Collecting these tests loads neither the bank nor torch: the tests are made per question file
(a glob), and the bank and the checks are loaded when the tests run, inside the isolated home.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from kdquiz.core.content import Content, question_files

from .conftest import ROOT

Check = Callable[[dict[str, float]], float]


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Content:
    from kdquiz.core.content import load_content

    # the module-scoped load runs before the per-test isolated home: never use the real cache
    return load_content(ROOT, use_cache=False)


@pytest.fixture(scope="module")
def checks() -> dict[str, Check]:
    from . import numeric_checks

    found: dict[str, Check] = {}
    for module in pkgutil.iter_modules(numeric_checks.__path__):
        loaded = importlib.import_module(f"{numeric_checks.__name__}.{module.name}")
        found.update(getattr(loaded, "CHECKS", {}))
    return found


def _numeric(bank: Content, file: Path | None = None) -> list[str]:
    from kdquiz.core.models import QuestionType

    return sorted(
        q.id
        for q in bank.questions.values()
        if q.type is QuestionType.numeric and (file is None or bank.question_files[q.id] == file)
    )


def test_every_numeric_question_has_an_independent_check(
    bank: Content, checks: dict[str, Check]
) -> None:
    numeric = _numeric(bank)
    assert len(numeric) >= 20
    missing = [qid for qid in numeric if qid not in checks]
    assert not missing, f"no torch recomputation for: {missing}"


def _mismatch(bank: Content, qid: str, check: Check) -> str | None:
    from kdquiz.core import formula
    from kdquiz.core.quiz import draw_params

    question = bank.questions[qid]
    tolerance = question.tolerance or 0.0
    if question.formula is None:
        assert question.value is not None
        got = check({})
        return (
            None if abs(got - question.value) <= tolerance else f"{qid}: {got} != {question.value}"
        )
    rng = random.Random(qid)
    for _ in range(25):
        params = draw_params(question, rng)
        got = formula.evaluate(question.formula, params)
        want = check(params)
        if abs(got - want) > max(tolerance / 4, 1e-9 * abs(want)):
            return f"{qid}: {params} gives {got} by the formula, {want} by the check"
    return None


@pytest.mark.parametrize("file", question_files(ROOT), ids=lambda path: path.stem)
def test_numeric_answers_match_torch(file: Path, bank: Content, checks: dict[str, Check]) -> None:
    wrong = [
        found
        for qid in _numeric(bank, file)
        if qid in checks and (found := _mismatch(bank, qid, checks[qid])) is not None
    ]
    assert not wrong, "\n".join(wrong)
