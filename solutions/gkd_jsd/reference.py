"""Reference solution for gkd_jsd: GKD's generalized Jensen-Shannon divergence, as TRL computes it."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def generalized_jsd(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor | None = None,
    beta: float = 0.5,
    temperature: float = 1.0,
) -> torch.Tensor:
    """JSD(beta) per token, summed over the vocabulary; TRL's "batchmean" reduction."""
    # Both distributions at temperature T (no T² factor), as log-probabilities (stable).
    log_q = F.log_softmax(student_logits / temperature, dim=-1)  # student, (B, L, V)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)  # teacher, (B, L, V)

    # Reminder: F.kl_div(input, target, log_target=True) = exp(target) * (target - input),
    # i.e. the terms of KL(target ‖ input): the arguments are in the opposite order to the maths.
    if beta == 0:
        # Forward KL(p_teacher ‖ q_student): the beta -> 0 end, without the vanishing factor.
        jsd = F.kl_div(log_q, log_p, reduction="none", log_target=True)
    elif beta == 1:
        # Reverse KL(q_student ‖ p_teacher): the beta -> 1 end.
        jsd = F.kl_div(log_p, log_q, reduction="none", log_target=True)
    else:
        b = torch.tensor(beta, dtype=log_q.dtype, device=log_q.device)
        # log M = log((1 - beta) q + beta p), computed in log space: a logsumexp over the two
        # log-probabilities shifted by the log weights, finite even where q and p underflow.
        log_m = torch.logsumexp(
            torch.stack([log_q + torch.log(1 - b), log_p + torch.log(b)]), dim=0
        )
        kl_teacher = F.kl_div(log_m, log_p, reduction="none", log_target=True)  # KL(p ‖ M) terms
        kl_student = F.kl_div(log_m, log_q, reduction="none", log_target=True)  # KL(q ‖ M) terms
        jsd = b * kl_teacher + (1 - b) * kl_student  # (B, L, V)

    if labels is not None:
        # Drop the positions whose label is -100, then average over the kept tokens (the sum
        # over the vocabulary is the per-token divergence).
        kept = labels != -100
        return jsd[kept].sum() / kept.sum()
    # Without labels: the sum over every position and token, divided by the batch size B.
    return jsd.sum() / jsd.size(0)
