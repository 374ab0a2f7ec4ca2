"""Mutant: torch.where(norm > 0, G / norm, 0): finite value for an all-zero example, but NaN gradients for every example."""

import torch

def _sim(f):
    q = f.reshape(f.shape[0], -1)
    g = q @ q.t()
    n = g.norm(dim=1, keepdim=True)
    return torch.where(n > 0, g / n, torch.zeros_like(g))

def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    return (_sim(f_t.detach()) - _sim(f_s)).pow(2).sum() / (b * b)
