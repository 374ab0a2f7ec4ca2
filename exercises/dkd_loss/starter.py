"""Exercise: dkd_loss — Decoupled Knowledge Distillation (Zhao et al., CVPR 2022).

Classic KD's KL splits into a target-class term (TCKD) and a non-target term (NCKD) whose weight
1 - p_t^T shrinks exactly when the teacher is confident. DKD gives the two terms their own weights:
alpha * TCKD + beta * NCKD. Match the authors' conventions (megvii-research/mdistiller), but
compute in log space so that saturated logits do not produce NaN gradients.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will probably want it)


def dkd_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """alpha * TCKD + beta * NCKD, as mdistiller's dkd_loss computes it, but in log space.

    Args:
        logits_student: (B, C) raw student scores (gradients flow into them).
        logits_teacher: (B, C) raw teacher scores: a fixed target, no gradient may reach them.
        target: (B,) int64 class indices, the ground-truth labels.
        alpha: weight of TCKD.
        beta: weight of NCKD.
        temperature: T, dividing both networks' logits.

    Returns:
        A 0-dim tensor. With b = [p_target, 1 - p_target] and p_hat = the softmax over the
        non-target classes only (target masked out), at temperature T:
            TCKD = sum over the batch of KL(b_teacher || b_student)         * T^2 / B
            NCKD = sum over the batch of KL(p_hat_teacher || p_hat_student) * T^2 / B
        It and its gradient must stay finite when the softmax saturates (logits of ±50 at T = 1).
    """
    # TODO: divide both networks' logits by T; detach the teacher's.
    # TODO: build the (B, C) boolean mask of the target class from `target`.
    # TODO: log b for each network: [log p_target, log(1 - p_target)], from logsumexps of the
    #       logits (not torch.log of probabilities).
    # TODO: log p_hat for each network: a log-softmax over the non-target classes only.
    # TODO: TCKD and NCKD: KL(teacher || student), summed, times T^2, divided by B.
    # TODO: return alpha * TCKD + beta * NCKD.
    raise NotImplementedError("dkd_loss is not implemented yet")
