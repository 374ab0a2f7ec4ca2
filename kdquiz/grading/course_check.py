"""Proving the course (``kdquiz dev check``): every reference and listed alternative passes its
hidden suite, and the starter and every listed mutant fail it.

This is rustlings' ``dev check`` for kdquiz: the CLI and the app both call :func:`prove`, which
grades each case like any submission (same judge, same sandbox) and reports each verdict as it
comes. It decides nothing about presentation.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kdquiz.core.content import LoadedExercise
    from kdquiz.grading.judge import GradeOptions, SubmissionResult
    from kdquiz.grading.worker import WarmWorker


@dataclass(frozen=True)
class ProofCase:
    """One file the course proof grades, and what it must do."""

    exercise_id: str
    kind: str
    """reference | starter | mutant | alternative"""
    path: Path
    must_pass: bool
    note: str = ""
    """The mutant's misconception or the alternative's file name, for the report."""

    @property
    def label(self) -> str:
        """How the report names the case ("mutant no_t_squared.py (forgets the T² factor)")."""
        if self.kind == "mutant":
            return f"mutant {self.path.name} ({self.note})"
        if self.kind == "alternative":
            return f"alternative {self.path.name}"
        return self.kind


@dataclass(frozen=True)
class ProofResult:
    """A graded case: whether it did what it must."""

    case: ProofCase
    result: SubmissionResult

    @property
    def ok(self) -> bool:
        return (self.result.status == "pass") == self.case.must_pass


def cases(exercise: LoadedExercise, starter: Path) -> list[ProofCase]:
    """What to grade for one exercise; ``starter`` is the starter as a learner receives it."""
    meta = exercise.meta
    found = [
        ProofCase(meta.id, "reference", exercise.reference_path, True),
        ProofCase(meta.id, "starter", starter, False),
    ]
    found += [
        ProofCase(meta.id, "mutant", exercise.mutant_path(m.file), False, m.misconception)
        for m in meta.mutants
    ]
    found += [
        ProofCase(meta.id, "alternative", exercise.alternative_path(a.file), True, a.note)
        for a in meta.alternatives
    ]
    return found


def _rendered_starter(exercise: LoadedExercise, folder: Path) -> Path:
    """The English rendering of the starter (the Chinese one is the same code: the content
    checks prove it, see :func:`kdquiz.core.starters.check`)."""
    from kdquiz.core import starters

    path = folder / f"{exercise.id}.py"
    source = exercise.starter_path.read_text(encoding="utf-8")
    path.write_text(starters.render(source, "en"), encoding="utf-8")
    return path


def prove(
    exercises: list[LoadedExercise],
    zygote: WarmWorker,
    options: GradeOptions,
    on_result: Callable[[ProofResult], None] | None = None,
) -> list[ProofResult]:
    """Grade every case of every exercise; a :class:`~kdquiz.grading.judge.GradingError` or a
    :class:`~kdquiz.grading.worker.ZygoteError` stops the proof (the course cannot be graded)."""
    from kdquiz.grading.judge import grade_submission

    results: list[ProofResult] = []
    with tempfile.TemporaryDirectory(prefix="kdquiz-dev-check-") as scratch:
        for exercise in exercises:
            for case in cases(exercise, _rendered_starter(exercise, Path(scratch))):
                graded = ProofResult(case, grade_submission(exercise, case.path, zygote, options))
                results.append(graded)
                if on_result is not None:
                    on_result(graded)
    return results
