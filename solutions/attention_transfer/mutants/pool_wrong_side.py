"""Mutant: resizes the smaller feature map up to the larger one's size instead of pooling the
larger one down."""

import torch
import torch.nn.functional as F


def attention_map(f, p=2):
    return F.normalize(f.abs().pow(p).mean(dim=1).flatten(1), dim=1)


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        if hs * ws > ht * wt:
            f_t = F.interpolate(f_t, size=(hs, ws), mode="bilinear", align_corners=False)
        else:
            f_s = F.interpolate(f_s, size=(ht, wt), mode="bilinear", align_corners=False)
    return (attention_map(f_s, p) - attention_map(f_t, p)).pow(2).mean()
