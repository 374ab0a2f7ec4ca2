"""Mutant: torch.where(norm > 0, map / norm, 0): right value for an all-zero map, but the gradient is NaN (0/0 in the unused branch)."""

import torch
import torch.nn.functional as F

def _att(f, p):
    am = f.abs().pow(p).mean(dim=1).flatten(1)
    n = am.norm(dim=1, keepdim=True)
    # avoid 0/0 for dead layers
    return torch.where(n > 0, am / n, torch.zeros_like(am))

def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if hs * ws > ht * wt:
        f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
    elif hs * ws < ht * wt:
        f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (_att(f_s, p) - _att(f_t, p)).pow(2).mean()
