"""Mutant: global-average-pools each feature map over H, W before the Gram matrix instead of flattening all C*H*W values."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    pool = lambda f: f.mean(dim=(2, 3)) if f.dim() == 4 else f
    s, t = pool(f_s), pool(f_t.detach())
    g_s, g_t = F.normalize(s @ s.t(), dim=1), F.normalize(t @ t.t(), dim=1)
    return (g_t - g_s).pow(2).sum() / (b * b)
