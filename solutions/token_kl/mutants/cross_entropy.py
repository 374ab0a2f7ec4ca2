"""Mutant: the cross-entropy -sum p log q (what some codebases call "forward KL"), not the KL."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    T = temperature
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    if reverse:
        ce = -(log_q.exp() * log_p).sum(dim=-1)
    else:
        ce = -(log_p.exp() * log_q).sum(dim=-1)
    m = mask.to(ce.dtype)
    return (ce * m).sum() / m.sum().clamp(min=1)
