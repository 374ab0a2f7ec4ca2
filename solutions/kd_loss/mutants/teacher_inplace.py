"""Mutant: divides the detached teacher logits by T in place, which changes the caller's tensor
(detach() shares its storage)."""

import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    t = teacher_logits.detach()
    t /= T
    log_p_s = F.log_softmax(student_logits / T, dim=-1)
    p_t = F.softmax(t, dim=-1)
    soft = F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard
