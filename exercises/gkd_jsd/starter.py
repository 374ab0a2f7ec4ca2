"""Exercise: gkd_jsd — the generalized Jensen-Shannon divergence of GKD, as TRL computes it.

Fill in `generalized_jsd`. Run `kdquiz check gkd_jsd` to grade it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def generalized_jsd(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor | None = None,
    beta: float = 0.5,
    temperature: float = 1.0,
) -> torch.Tensor:
    """GKD's JSD(beta) between teacher p and student q, with TRL's conventions.

    Per token, with p = softmax(teacher / T), q = softmax(student / T) and
    M = beta * p + (1 - beta) * q:

        JSD(beta) = beta * KL(p ‖ M) + (1 - beta) * KL(q ‖ M)      (summed over the vocabulary)

    except that beta == 0 is the forward KL(p ‖ q) and beta == 1 the reverse KL(q ‖ p).

    Args:
        student_logits: (B, L, V) logits of the student.
        teacher_logits: (B, L, V) logits of the teacher at the same positions.
        labels: (B, L) int64 or None. Positions whose label is -100 are dropped.
        beta: the teacher's weight in the mixture, in [0, 1].
        temperature: T, applied to both models. No T² factor.

    Returns:
        A 0-dim tensor. With labels: the sum over the kept tokens divided by their number.
        Without labels: the sum over every position divided by the batch size B.
    """
    # TODO: log-probabilities of both models at temperature T.
    # TODO: beta == 0 and beta == 1: the two KL divergences, pointwise (shape (B, L, V)).
    # TODO: otherwise: log M in log space (torch.logsumexp over the two shifted log-probabilities),
    #       then beta * KL(p ‖ M) + (1 - beta) * KL(q ‖ M), pointwise.
    # TODO: the reduction: drop label == -100 and divide by the kept count, or divide by B.
    raise NotImplementedError("generalized_jsd is not implemented yet")
