"""Mutant: detaches the teacher's map only when the sizes are equal, so gradient reaches the teacher when one side is pooled."""

import torch
import torch.nn.functional as F

def _att(f, p):
    return F.normalize(f.abs().pow(p).mean(dim=1).flatten(1), dim=1)

def at_loss(f_s, f_t, p=2):
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if hs * ws > ht * wt:
        f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        q_t = _att(f_t, p)
    elif hs * ws < ht * wt:
        f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
        q_t = _att(f_t, p)
    else:
        q_t = _att(f_t, p).detach()
    return (_att(f_s, p) - q_t).pow(2).mean()
