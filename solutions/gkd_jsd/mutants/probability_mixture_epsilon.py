"""Mutant: log(beta·p + (1 − beta)·q + 1e-8): the epsilon adds V·1e-8 of mass, visible at V = 32000."""

import torch
import torch.nn.functional as F


def generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    if beta == 0:
        jsd = F.kl_div(log_q, log_p, reduction="none", log_target=True)
    elif beta == 1:
        jsd = F.kl_div(log_p, log_q, reduction="none", log_target=True)
    else:
        m = beta * log_p.exp() + (1 - beta) * log_q.exp()
        log_m = torch.log(m + 1e-8)   # eps avoids log(0)
        jsd = beta * F.kl_div(log_m, log_p, reduction="none", log_target=True) + (1 - beta) * F.kl_div(
            log_m, log_q, reduction="none", log_target=True)
    if labels is not None:
        kept = labels != -100
        return jsd[kept].sum() / kept.sum()
    return jsd.sum() / jsd.size(0)
