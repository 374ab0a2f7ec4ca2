"""Mutant: G / (row norm + 1e-8): the additive epsilon breaks scale invariance for tiny features."""

import torch

def _sim(f):
    q = f.reshape(f.shape[0], -1)
    g = q @ q.t()
    return g / (g.norm(dim=1, keepdim=True) + 1e-8)

def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    return (_sim(f_t.detach()) - _sim(f_s)).pow(2).sum() / (b * b)
