"""Mutant: divides each Gram matrix by its Frobenius norm as a whole instead of normalising each row."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s, t = f_s.reshape(b, -1), f_t.detach().reshape(b, -1)
    g_s, g_t = s @ s.t(), t @ t.t()
    g_s, g_t = g_s / g_s.norm().clamp_min(1e-12), g_t / g_t.norm().clamp_min(1e-12)
    return (g_t - g_s).pow(2).sum() / (b * b)
