"""Mutant: the paper's printed formula taken literally, ||Q_s/||Q_s|| - Q_t/||Q_t|| ||_2 per
sample (a norm, not squared) averaged over the batch, instead of the implementations' mean of
squared differences."""

import torch
import torch.nn.functional as F


def attention_map(f, p=2):
    return F.normalize(f.abs().pow(p).mean(dim=1).flatten(1), dim=1)


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        else:
            f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    return (attention_map(f_s, p) - attention_map(f_t, p)).norm(dim=1).mean()
