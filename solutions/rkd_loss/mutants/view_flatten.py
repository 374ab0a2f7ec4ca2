"""Mutant: flattens with .view(B, -1), which fails on non-contiguous (channels-last, transposed) features."""

import torch
import torch.nn.functional as F

def _pdist(e, eps=1e-12):
    sq = e.pow(2).sum(1)
    d = (sq[:, None] + sq[None, :] - 2 * e @ e.t()).clamp(min=eps).sqrt().clone()
    d[range(len(e)), range(len(e))] = 0
    return d

def _dist(e):
    d = _pdist(e)
    return d / d[d > 0].mean()

def _angle(e):
    u = F.normalize(e[None, :, :] - e[:, None, :], p=2, dim=2)
    return torch.bmm(u, u.transpose(1, 2))

def _huber(x, y):
    # smooth L1 is 0.5 x^2 near zero; the potentials are O(1), so use the quadratic part
    return F.smooth_l1_loss(x, y)

def rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0):
    if f_s.shape[0] < 2:
        raise ValueError("need at least two examples")
    s = f_s.view(f_s.shape[0], -1)
    t = f_t.detach().view(f_t.shape[0], -1)
    return distance_weight * _huber(_dist(s), _dist(t)) + angle_weight * _huber(_angle(s), _angle(t))
