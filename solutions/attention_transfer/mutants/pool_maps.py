"""Mutant: pools the larger attention *map* instead of the larger feature map, i.e. averages
|f|^p over each window instead of taking |mean f|^p."""

import torch
import torch.nn.functional as F


def _raw_map(f, p):
    return f.abs().pow(p).mean(dim=1, keepdim=True)  # (B, 1, H, W)


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    a_s, a_t = _raw_map(f_s, p), _raw_map(f_t, p)
    (hs, ws), (ht, wt) = a_s.shape[2:], a_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            a_s = F.adaptive_avg_pool2d(a_s, (ht, wt))
        else:
            a_t = F.adaptive_avg_pool2d(a_t, (hs, ws))
    a_s = F.normalize(a_s.flatten(1), dim=1)
    a_t = F.normalize(a_t.flatten(1), dim=1)
    return (a_s - a_t).pow(2).mean()
