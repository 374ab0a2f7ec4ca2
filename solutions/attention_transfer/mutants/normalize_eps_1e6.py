"""Mutant: F.normalize with eps=1e-6 instead of 1e-12, so tiny activations lose scale invariance."""

import torch
import torch.nn.functional as F


def _att(f, p):
    am = f.abs().pow(p).mean(dim=1)
    # a "safer" epsilon than the default 1e-12
    return F.normalize(am.flatten(1), dim=1, eps=1e-6)


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if hs * ws > ht * wt:
        f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
    elif hs * ws < ht * wt:
        f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (_att(f_s, p) - _att(f_t, p)).pow(2).mean()
