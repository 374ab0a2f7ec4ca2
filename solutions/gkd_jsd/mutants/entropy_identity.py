"""Mutant: JSD as H(M) - beta*H(p) - (1-beta)*H(q) with torch.special.entr; NaN gradients where a probability underflows."""

import torch
import torch.nn.functional as F


def generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    """JSD(beta) = H(M) - beta H(p) - (1-beta) H(q); entr handles 0 log 0 so no log(0) issue."""
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits / T, dim=-1)
    p, q = log_p.exp(), log_q.exp()
    if beta == 0:
        jsd = p * (log_p - log_q)
    elif beta == 1:
        jsd = q * (log_q - log_p)
    else:
        m = beta * p + (1 - beta) * q
        H = torch.special.entr
        jsd = H(m) - beta * H(p) - (1 - beta) * H(q)
    if labels is not None:
        kept = labels != -100
        return jsd[kept].sum() / kept.sum()
    return jsd.sum() / jsd.size(0)
