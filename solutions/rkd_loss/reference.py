"""Reference solution for rkd_loss: relational knowledge distillation (Park et al., CVPR 2019).

Matches mdistiller's RKD.py (rkd_loss with squared=False, eps=1e-12): distances from the expanded
squared norms clamped at eps, zero diagonal, each matrix divided by the mean of its off-diagonal
entries, smooth L1 (beta = 1) averaged over all B*B pairs; the angle term on all B*B*B triplets
with F.normalize'd difference vectors, smooth L1 averaged over all of them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _pdist(e: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """(B, D) -> (B, B) Euclidean distances, exactly 0 on the diagonal (mdistiller's _pdist)."""
    sq = e.pow(2).sum(dim=1)
    d2 = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e @ e.t()).clamp(min=eps)
    d = d2.sqrt().clone()
    n = len(e)
    d[range(n), range(n)] = 0  # also cuts the gradient of the clamped diagonal
    return d


def _distance_potential(e: torch.Tensor) -> torch.Tensor:
    d = _pdist(e)
    return d / d[d > 0].mean()  # mean over the B(B-1) off-diagonal entries (clamped, so > 0)


def _angle_potential(e: torch.Tensor) -> torch.Tensor:
    # diff[i, j] = e_j - e_i; unit vectors (a zero vector stays zero: degenerate triplets give 0)
    diff = F.normalize(e.unsqueeze(0) - e.unsqueeze(1), p=2, dim=2)  # (B, B, D)
    # angle[i, j, k] = cos of the angle at e_i between e_j and e_k
    return torch.bmm(diff, diff.transpose(1, 2))  # (B, B, B)


def rkd_loss(
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    distance_weight: float = 25.0,
    angle_weight: float = 50.0,
) -> torch.Tensor:
    """distance_weight * distance loss + angle_weight * angle loss."""
    if f_s.shape[0] < 2 or f_t.shape[0] < 2:
        raise ValueError(f"RKD needs at least 2 examples per batch, got {f_s.shape[0]}")
    s = f_s.reshape(f_s.shape[0], -1)
    with torch.no_grad():  # the teacher's relations are fixed targets
        t = f_t.reshape(f_t.shape[0], -1)
        t_d = _distance_potential(t)
        t_a = _angle_potential(t)
    loss_d = F.smooth_l1_loss(_distance_potential(s), t_d)  # mean over B*B
    loss_a = F.smooth_l1_loss(_angle_potential(s), t_a)  # mean over B*B*B
    return distance_weight * loss_d + angle_weight * loss_a
