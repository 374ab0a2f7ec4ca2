"""Mutant: writes the KL with torch.special.entr of the probabilities; exact values, NaN gradients where a probability underflows."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    """KL = -H(a) - sum a log b, with torch.special.entr so that 0*log 0 = 0."""
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    q, p = F.softmax(student_logits / T, dim=-1), log_p.exp()
    if reverse:
        kl = -torch.special.entr(q).sum(-1) - (q * log_p).sum(-1)
    else:
        kl = -torch.special.entr(p).sum(-1) - (p * log_q).sum(-1)
    kept = mask.bool()
    return torch.where(kept, kl, torch.zeros_like(kl)).sum() / kept.sum().clamp(min=1)
