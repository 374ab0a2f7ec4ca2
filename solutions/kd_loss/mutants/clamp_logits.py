"""Mutant: clamps the logits to [-50, 50] "for safety", which changes the loss of large logits."""

import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    s = student_logits.clamp(-50.0, 50.0)
    t = teacher_logits.detach().clamp(-50.0, 50.0)
    log_p_s = F.log_softmax(s / T, dim=-1)
    p_t = F.softmax(t / T, dim=-1)
    soft = F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
    hard = F.cross_entropy(s, labels)
    return alpha * soft + (1 - alpha) * hard
