"""Mutant: normalises with map / map.norm() and no epsilon, so an all-zero map gives 0/0 = NaN."""

import torch
import torch.nn.functional as F


def attention_map(f, p=2):
    am = f.abs().pow(p).mean(dim=1).flatten(1)
    return am / am.norm(dim=1, keepdim=True)


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        else:
            f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (attention_map(f_s, p) - attention_map(f_t, p)).pow(2).mean()
