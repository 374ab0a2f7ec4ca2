"""Exercise: token_kl — the masked token-level KL of language-model distillation.

Fill in `token_kl_loss`. Run `kdquiz check token_kl` to grade it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)


def token_kl_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    mask: torch.Tensor,
    temperature: float = 1.0,
    reverse: bool = False,
) -> torch.Tensor:
    """Per-token KL between teacher and student, averaged over the real (unmasked) tokens.

    Args:
        student_logits: (B, L, V) logits of the student language model.
        teacher_logits: (B, L, V) logits of the teacher, at the same positions. A fixed target:
            no gradient may flow into it.
        mask: (B, L) bool, True for the positions that count (real tokens), False for padding.
        temperature: T; both distributions are softmax(logits / T). No T² factor.
        reverse: False for the forward KL(p_teacher ‖ q_student), True for the reverse
            KL(q_student ‖ p_teacher).

    Returns:
        A 0-dim tensor: the KL summed over the vocabulary at each kept position, averaged over
        the kept positions of the whole batch. 0 (still attached to the graph, no NaN) when no
        position is kept.
    """
    # TODO: log-probabilities of the student and of the (detached) teacher at temperature T,
    #       computed stably.
    # TODO: the KL at every position, summed over the vocabulary -> shape (B, L); the direction
    #       depends on `reverse`.
    # TODO: the mean over the positions where mask is True; a fully masked batch gives 0.
    raise NotImplementedError("token_kl_loss is not implemented yet")
