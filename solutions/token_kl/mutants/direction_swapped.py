"""Mutant: reverse=False computes KL(q || p) and reverse=True computes KL(p || q)."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    if not reverse:
        kl = (log_q.exp() * (log_q - log_p)).sum(dim=-1)
    else:
        kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1)
    m = mask.to(kl.dtype)
    return (kl * m).sum() / m.sum().clamp(min=1)
