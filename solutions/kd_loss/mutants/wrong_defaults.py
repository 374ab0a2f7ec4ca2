"""Mutant: defaults temperature=20.0 and alpha=0.9 instead of the signature's 4.0 and 0.5."""

import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=20.0, alpha=0.9):
    T = temperature
    log_p_s = F.log_softmax(student_logits / T, dim=-1)
    p_t = F.softmax(teacher_logits.detach() / T, dim=-1)
    soft = F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard
