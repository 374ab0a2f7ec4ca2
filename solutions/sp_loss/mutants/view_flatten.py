"""Mutant: flattens with .view(B, -1), which fails on non-contiguous (channels-last, transposed) features."""

import torch
import torch.nn.functional as F

def sp_loss(f_s, f_t):
    bsz = f_s.shape[0]
    if f_t.shape[0] != bsz:
        raise ValueError("batch sizes differ")
    f_s = f_s.view(bsz, -1)
    f_t = f_t.detach().view(bsz, -1)
    g_s = F.normalize(torch.mm(f_s, f_s.t()))
    g_t = F.normalize(torch.mm(f_t, f_t.t()))
    g_diff = g_t - g_s
    return (g_diff * g_diff).sum() / (bsz * bsz)
