"""Mutant: treats beta within 1e-3 of 0 or 1 as the end points instead of comparing exactly."""

import math
import torch
import torch.nn.functional as F

EPS = 1e-3


def generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    # never compare floats exactly
    if beta < EPS:
        per_tok = (log_p.exp() * (log_p - log_q)).sum(-1)
    elif beta > 1 - EPS:
        per_tok = (log_q.exp() * (log_q - log_p)).sum(-1)
    else:
        log_m = torch.logaddexp(log_q + math.log(1 - beta), log_p + math.log(beta))
        per_tok = beta * (log_p.exp() * (log_p - log_m)).sum(-1) + (1 - beta) * (
            log_q.exp() * (log_q - log_m)).sum(-1)
    if labels is None:
        return per_tok.sum() / per_tok.shape[0]
    keep = labels != -100
    return per_tok[keep].sum() / keep.sum()
