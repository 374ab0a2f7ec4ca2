"""Mutant: the teacher's features are not detached, so the loss also pushes the teacher."""

import torch
import torch.nn.functional as F


def attention_map(f, p=2):
    return F.normalize(f.abs().pow(p).mean(dim=1).flatten(1), dim=1)


def at_loss(f_s, f_t, p=2):
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        else:
            f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (attention_map(f_s, p) - attention_map(f_t, p)).pow(2).mean()
