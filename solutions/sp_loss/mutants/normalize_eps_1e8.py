"""Mutant: F.normalize with eps=1e-8 instead of 1e-12, so tiny features lose scale invariance."""

import torch
import torch.nn.functional as F


def _sim(f):
    q = f.reshape(f.shape[0], -1)
    return F.normalize(q @ q.t(), dim=1, eps=1e-8)  # "safer" clamp than 1e-12


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    return (_sim(f_t.detach()) - _sim(f_s)).pow(2).sum() / (b * b)
