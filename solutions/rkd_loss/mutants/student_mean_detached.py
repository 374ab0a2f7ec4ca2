"""Mutant: the student's mean distance is detached, so no gradient flows through the normaliser."""

import torch
import torch.nn.functional as F


def _pdist(e, eps=1e-12):
    sq = e.pow(2).sum(dim=1)
    d2 = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e @ e.t()).clamp(min=eps)
    d = d2.sqrt().clone()
    d[range(len(e)), range(len(e))] = 0
    return d


def _distance_potential(e):
    d = _pdist(e)
    return d / d[d > 0].mean().detach()


def _angle_potential(e):
    diff = F.normalize(e.unsqueeze(0) - e.unsqueeze(1), p=2, dim=2)
    return torch.bmm(diff, diff.transpose(1, 2))


def rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0):
    if f_s.shape[0] < 2:
        raise ValueError("RKD needs at least 2 examples")
    s = f_s.reshape(f_s.shape[0], -1)
    with torch.no_grad():
        t = f_t.reshape(f_t.shape[0], -1)
        t_d, t_a = _distance_potential(t), _angle_potential(t)
    loss_d = F.smooth_l1_loss(_distance_potential(s), t_d)
    loss_a = F.smooth_l1_loss(_angle_potential(s), t_a)
    return distance_weight * loss_d + angle_weight * loss_a
