"""Alternative: a Python loop over the anchor i for the angle term (one B x B cosine matrix per
anchor, summed and divided by B^3), distances via pairwise differences with a safe square root."""

import torch
import torch.nn.functional as F


def _distances(e):
    b = e.shape[0]
    sq = (e.unsqueeze(1) - e.unsqueeze(0)).pow(2).sum(-1)  # exact differences, then squares
    off = ~torch.eye(b, dtype=torch.bool)
    d = torch.zeros_like(sq)
    d[off] = sq[off].clamp_min(1e-12).sqrt()  # no sqrt(0) on the diagonal: finite gradient
    return d / d[off].mean()


def _angle_loss(s, t):
    b = s.shape[0]
    total = s.new_zeros(())
    for i in range(b):
        u_s = F.normalize(s - s[i], dim=1)  # rows j: unit vector from e_i to e_j (row i is 0)
        u_t = F.normalize(t - t[i], dim=1)
        total = total + F.smooth_l1_loss(u_s @ u_s.T, u_t @ u_t.T, reduction="sum")
    return total / b**3


def rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0):
    b = f_s.shape[0]
    if b < 2:
        raise ValueError("a batch of one has no pairs")
    s = f_s.reshape(b, -1)
    t = f_t.detach().reshape(b, -1)
    loss_d = F.smooth_l1_loss(_distances(s), _distances(t))
    return distance_weight * loss_d + angle_weight * _angle_loss(s, t)
