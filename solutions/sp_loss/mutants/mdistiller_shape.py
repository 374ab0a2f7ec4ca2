"""Mutant: copies mdistiller's reduction .view(-1, 1).sum(0), which returns shape (1,) instead of a 0-dim tensor."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s, t = f_s.view(b, -1), f_t.detach().view(b, -1)
    g_s, g_t = F.normalize(torch.mm(s, s.t())), F.normalize(torch.mm(t, t.t()))
    diff = g_t - g_s
    return (diff * diff).view(-1, 1).sum(0) / (b * b)
