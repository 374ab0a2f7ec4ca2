"""Every numeric answer in the bank is recomputed independently with torch, so a wrong number
cannot ship: fixed values must match, and templates must agree on many fresh draws."""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable

import pytest

from kdquiz.core import formula
from kdquiz.core.content import load_content
from kdquiz.core.models import QuestionType
from kdquiz.core.quiz import draw_params

from . import numeric_checks
from .conftest import ROOT

BANK = load_content(ROOT)
NUMERIC = sorted(q.id for q in BANK.questions.values() if q.type is QuestionType.numeric)


def _checks() -> dict[str, Callable[[dict[str, float]], float]]:
    found: dict[str, Callable[[dict[str, float]], float]] = {}
    for module in pkgutil.iter_modules(numeric_checks.__path__):
        loaded = importlib.import_module(f"{numeric_checks.__name__}.{module.name}")
        found.update(getattr(loaded, "CHECKS", {}))
    return found


CHECKS = _checks()


def test_every_numeric_question_has_an_independent_check() -> None:
    missing = [qid for qid in NUMERIC if qid not in CHECKS]
    assert not missing, f"no torch recomputation for: {missing}"


@pytest.mark.parametrize("qid", NUMERIC)
def test_numeric_answer_matches_torch(qid: str) -> None:
    question = BANK.questions[qid]
    check = CHECKS[qid]
    tolerance = question.tolerance or 0.0
    if question.formula is None:
        assert question.value is not None
        assert abs(check({}) - question.value) <= tolerance, (check({}), question.value)
        return
    rng = random.Random(qid)
    for _ in range(25):
        params = draw_params(question, rng)
        got = formula.evaluate(question.formula, params)
        want = check(params)
        assert abs(got - want) <= max(tolerance / 4, 1e-9 * abs(want)), (params, got, want)
