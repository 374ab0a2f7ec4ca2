"""Mutant: divides each row of G by its norm without an epsilon, so an all-zero example gives 0/0 = NaN."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s, t = f_s.reshape(b, -1), f_t.detach().reshape(b, -1)
    g_s, g_t = s @ s.t(), t @ t.t()
    g_s = g_s / g_s.norm(dim=1, keepdim=True)
    g_t = g_t / g_t.norm(dim=1, keepdim=True)
    return (g_t - g_s).pow(2).sum() / (b * b)
