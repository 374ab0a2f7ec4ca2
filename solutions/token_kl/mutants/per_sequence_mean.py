"""Mutant: averages within each sequence, then over the sequences that have a real token."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    if reverse:
        kl = (log_q.exp() * (log_q - log_p)).sum(dim=-1)
    else:
        kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1)
    m = mask.to(kl.dtype)
    per_seq = (kl * m).sum(dim=1) / m.sum(dim=1).clamp(min=1)
    has_tokens = (m.sum(dim=1) > 0).to(kl.dtype)
    return (per_seq * has_tokens).sum() / has_tokens.sum().clamp(min=1)
