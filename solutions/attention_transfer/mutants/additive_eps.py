"""Mutant: map / (norm + 1e-6): the additive epsilon breaks scale invariance for small activations."""

import torch
import torch.nn.functional as F

def _att(f, p):
    am = f.abs().pow(p).mean(dim=1).flatten(1)
    return am / (am.norm(dim=1, keepdim=True) + 1e-6)

def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if hs * ws > ht * wt:
        f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
    elif hs * ws < ht * wt:
        f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (_att(f_s, p) - _att(f_t, p)).pow(2).mean()
