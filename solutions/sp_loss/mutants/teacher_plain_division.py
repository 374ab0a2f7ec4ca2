"""Mutant: teacher Gram rows divided by their norm without epsilon, so an all-zero teacher example gives NaN."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    q_s = f_s.reshape(b, -1)
    g_s = F.normalize(q_s @ q_s.t(), dim=1)  # student: safe normalisation, gradients flow here
    with torch.no_grad():  # teacher: a fixed target, no gradient, so plain division is enough
        q_t = f_t.reshape(b, -1)
        g_t = q_t @ q_t.t()
        g_t = g_t / g_t.norm(dim=1, keepdim=True)
    return (g_t - g_s).pow(2).sum() / (b * b)
