"""Alternative: the channel mean of |f|^p written as ||f||_p^p / C with torch.linalg.vector_norm,
nn.AdaptiveAvgPool2d modules, and the mean written as a sum over numel()."""

import torch
from torch import nn


def _map(f, p):
    c = f.shape[1]
    am = torch.linalg.vector_norm(f, ord=p, dim=1) ** p / c  # mean_c |f_c|^p, (B, H, W)
    flat = am.flatten(start_dim=1)
    norm = torch.linalg.vector_norm(flat, ord=2, dim=1, keepdim=True)
    return flat / torch.maximum(norm, torch.full_like(norm, 1e-12))


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    hs, ws = f_s.shape[-2:]
    ht, wt = f_t.shape[-2:]
    if hs * ws > ht * wt:
        f_s = nn.AdaptiveAvgPool2d((ht, wt))(f_s)
    elif hs * ws < ht * wt:
        f_t = nn.AdaptiveAvgPool2d((hs, ws))(f_t)
    diff = _map(f_s, p) - _map(f_t, p)
    return (diff * diff).sum() / diff.numel()
