"""Mutant: the map is always the channel mean of f², whatever p is."""

import torch
import torch.nn.functional as F


def attention_map(f):
    return F.normalize(f.pow(2).mean(dim=1).flatten(1), dim=1)  # the authors' p = 2, hard-coded


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        else:
            f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (attention_map(f_s) - attention_map(f_t)).pow(2).mean()
