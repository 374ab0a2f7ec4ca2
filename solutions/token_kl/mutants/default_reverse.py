"""Mutant: reverse KL by default (MiniLLM style) instead of the signature's reverse=False."""

import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=True):
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    a, b = (log_q, log_p) if reverse else (log_p, log_q)
    kl = (a.exp() * (a - b)).sum(dim=-1)
    m = mask.to(kl.dtype)
    return (kl * m).sum() / m.sum().clamp(min=1)
