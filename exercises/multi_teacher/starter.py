"""Exercise: multi_teacher — distilling an ensemble of teachers into one student.

Fill in `multi_teacher_targets` and `multi_teacher_loss`. Run `kdquiz check multi_teacher`
to grade them.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def multi_teacher_targets(
    teacher_logits_list: Sequence[torch.Tensor],
    temperature: float = 4.0,
    weights: Sequence[float] | None = None,
) -> torch.Tensor:
    """The ensemble's soft target: sum_m w_m * softmax(teacher_m / T), weights summing to 1.

    Args:
        teacher_logits_list: M >= 1 tensors of logits, all of the same shape (B, C). Fixed
            targets: no gradient may flow into them.
        temperature: T, applied to every teacher.
        weights: M non-negative numbers, not all zero, normalised here to sum to 1.
            None means equal weights.

    Returns:
        A (B, C) tensor whose rows are probability distributions.

    Raises:
        ValueError: the list is empty, the teachers' shapes differ, or the weights are not M
            non-negative numbers with a positive sum.
    """
    # TODO: check the arguments (empty list, shapes, weights) and raise ValueError.
    # TODO: normalise the weights (equal weights when None).
    # TODO: the weighted average of the teachers' softmax(z / T), the teachers detached.
    raise NotImplementedError("multi_teacher_targets is not implemented yet")


def multi_teacher_loss(
    student_logits: torch.Tensor,
    teacher_logits_list: Sequence[torch.Tensor],
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
    weights: Sequence[float] | None = None,
) -> torch.Tensor:
    """alpha * T^2 * KL(target ‖ softmax(student / T)) (batchmean) + (1 - alpha) * CE(student, y).

    Args:
        student_logits: (B, C) logits of the student.
        teacher_logits_list: M tensors of logits of shape (B, C), as in multi_teacher_targets.
        labels: (B,) int64 class indices.
        temperature: T of the soft term (the hard term uses the raw logits).
        alpha: weight of the soft term; 1 - alpha weighs the cross-entropy.
        weights: the teachers' weights, as in multi_teacher_targets.

    Returns:
        A 0-dim tensor.

    Raises:
        ValueError: as multi_teacher_targets, or the student's shape differs from the teachers'.
    """
    # TODO: check that the student's logits have the teachers' shape.
    # TODO: the soft term: KL(target ‖ softmax(student / T)) with "batchmean", times T².
    # TODO: the hard term, and the weighted sum of the two.
    raise NotImplementedError("multi_teacher_loss is not implemented yet")
