"""Mutant: computes KL(student ‖ target) instead of KL(target ‖ student)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F


def _check_teachers(teacher_logits_list: Sequence[torch.Tensor]) -> torch.Size:
    """The common shape of the teachers' logits; ValueError if there is none."""
    if len(teacher_logits_list) == 0:
        raise ValueError("teacher_logits_list is empty: at least one teacher is needed")
    shape = teacher_logits_list[0].shape
    for i, logits in enumerate(teacher_logits_list):
        if logits.shape != shape:
            raise ValueError(
                f"teacher {i} has logits of shape {tuple(logits.shape)}, teacher 0 {tuple(shape)}"
            )
    return shape


def _normalised_weights(weights, count: int) -> torch.Tensor:
    """Non-negative weights summing to 1, as float64; None means equal weights."""
    if weights is None:
        return torch.full((count,), 1.0 / count, dtype=torch.float64)
    w = torch.as_tensor(weights, dtype=torch.float64).flatten()
    if w.numel() != count:
        raise ValueError(f"got {w.numel()} weights for {count} teachers")
    if not bool(torch.isfinite(w).all()) or bool((w < 0).any()):
        raise ValueError("teacher weights must be finite and non-negative")
    total = w.sum()
    if total <= 0:
        raise ValueError("teacher weights are all zero")
    return w / total


def multi_teacher_targets(
    teacher_logits_list: Sequence[torch.Tensor],
    temperature: float = 4.0,
    weights: Sequence[float] | torch.Tensor | None = None,
) -> torch.Tensor:
    """Weighted average of the teachers' softened probabilities: sum_m w_m softmax(z_m / T)."""
    _check_teachers(teacher_logits_list)
    w = _normalised_weights(weights, len(teacher_logits_list))
    # Average probabilities (the ensemble's predictive distribution), not logits: averaging
    # logits would give a normalised geometric mean of the probabilities instead.
    probs = torch.stack(
        [F.softmax(z.detach() / temperature, dim=-1) for z in teacher_logits_list]
    )  # (M, B, C); detached: the teachers are fixed targets
    w = w.to(probs.dtype).view(-1, *([1] * (probs.dim() - 1)))
    return (w * probs).sum(dim=0)


def multi_teacher_loss(
    student_logits: torch.Tensor,
    teacher_logits_list: Sequence[torch.Tensor],
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
    weights: Sequence[float] | torch.Tensor | None = None,
) -> torch.Tensor:
    """alpha * T^2 * KL(target ‖ softmax(student / T)) (batchmean) + (1 - alpha) * CE(student, y)."""
    shape = _check_teachers(teacher_logits_list)
    if student_logits.shape != shape:
        raise ValueError(
            f"student logits of shape {tuple(student_logits.shape)}, teachers {tuple(shape)}"
        )
    T = temperature
    target = multi_teacher_targets(teacher_logits_list, T, weights)
    # kd_loss's soft term with the ensemble's target in place of one teacher's softmax.
    soft = F.kl_div(target.log(), F.softmax(student_logits / T, dim=-1), reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * T * T * soft + (1.0 - alpha) * hard
