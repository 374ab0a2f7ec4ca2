"""Mutant: flattens only 4-D features, so a 3-D (B, tokens, D) teacher is not turned into embeddings."""

import torch
import torch.nn.functional as F


def _emb(f):
    # conv feature maps (B, C, H, W) become (B, C*H*W) embeddings; embeddings are used as they are
    return f.flatten(1) if f.dim() == 4 else f


def _dist(e):
    sq = e.pow(2).sum(-1)
    d = (sq.unsqueeze(-1) + sq.unsqueeze(-2) - 2 * e @ e.transpose(-1, -2)).clamp(min=1e-12).sqrt().clone()
    n = e.shape[-2]
    d[..., range(n), range(n)] = 0
    return d / d[d > 0].mean()


def _angle(e):
    u = F.normalize(e.unsqueeze(-3) - e.unsqueeze(-2), p=2, dim=-1)
    return u @ u.transpose(-1, -2)


def rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0):
    if f_s.shape[0] < 2:
        raise ValueError("need at least two examples")
    s = _emb(f_s)
    with torch.no_grad():
        t = _emb(f_t)
        td, ta = _dist(t), _angle(t)
    return (distance_weight * F.smooth_l1_loss(_dist(s), td)
            + angle_weight * F.smooth_l1_loss(_angle(s), ta))
