"""Mutant: the C x C feature Gram matrix f^T f instead of the B x B batch similarity f f^T."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s, t = f_s.reshape(b, -1), f_t.detach().reshape(b, -1)
    g_s, g_t = F.normalize(s.t() @ s, dim=1), F.normalize(t.t() @ t, dim=1)
    return (g_t - g_s).pow(2).sum() / (b * b)
