"""Reference solution for token_kl: a masked token-level KL for language-model distillation."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def token_kl_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    mask: torch.Tensor,
    temperature: float = 1.0,
    reverse: bool = False,
) -> torch.Tensor:
    """Mean over the tokens where ``mask`` is True of KL(p‖q) (or KL(q‖p) when ``reverse``)."""
    T = temperature
    # The teacher is a fixed target: no gradient may flow back into it.
    teacher_logits = teacher_logits.detach()

    # Both distributions at the same temperature, as log-probabilities: log_softmax subtracts
    # the maximum internally, so logits of magnitude 1000 stay finite.
    log_q = F.log_softmax(student_logits / T, dim=-1)  # student, (B, L, V)
    log_p = F.log_softmax(teacher_logits / T, dim=-1)  # teacher, (B, L, V)

    # A true KL (zero when the distributions agree), summed over the vocabulary: (B, L).
    if reverse:
        kl = (log_q.exp() * (log_q - log_p)).sum(dim=-1)  # KL(q_student ‖ p_teacher)
    else:
        kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1)  # KL(p_teacher ‖ q_student)

    # Mean over the real tokens only. torch.where (rather than kl * mask) keeps whatever is
    # computed at padded positions out of the sum entirely.
    kept = mask.bool()
    total = torch.where(kept, kl, torch.zeros_like(kl)).sum()
    # Dividing by max(count, 1) gives 0 for a fully masked batch, still attached to the graph
    # (its gradient is zero), instead of 0 / 0 = NaN.
    count = kept.sum().clamp(min=1)
    return total / count
