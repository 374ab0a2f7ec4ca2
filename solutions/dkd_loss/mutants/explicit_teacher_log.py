"""Mutant: log space for the student, but the teacher's p · log p from p = exp(log p): an underflowed teacher probability gives 0 · (−inf) = NaN."""

import torch
import torch.nn.functional as F

def dkd_loss(logits_student, logits_teacher, target, alpha=1.0, beta=8.0, temperature=4.0):
    T = temperature
    B, C = logits_student.shape
    gt = F.one_hot(target, C).bool()
    zs, zt = logits_student / T, logits_teacher.detach() / T
    def log_b(z):
        lse = torch.logsumexp(z, 1)
        return torch.stack([z[gt] - lse, torch.logsumexp(z[~gt].view(B, C - 1), 1) - lse], 1)
    bs = log_b(zs)
    bt = log_b(zt).exp()
    tckd = (bt * (bt.log() - bs)).sum() * T * T / B
    hs = F.log_softmax(zs[~gt].view(B, C - 1), 1)
    ht = F.softmax(zt[~gt].view(B, C - 1), 1)
    nckd = (ht * (ht.log() - hs)).sum() * T * T / B
    return alpha * tckd + beta * nckd
