"""Alternative: broadcasting differences for both terms, distances from torch.linalg.vector_norm,
the off-diagonal mean as sum / (B(B-1)), cosines via F.cosine_similarity on broadcast pairs, and a
hand-written Huber loss."""

import torch
import torch.nn.functional as F


def _huber_mean(x, y):
    r = (x - y).abs()
    return torch.where(r < 1.0, 0.5 * r * r, r - 0.5).mean()


def rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0):
    n = f_s.shape[0]
    if n < 2:
        raise ValueError(f"need at least 2 examples, got {n}")

    def distances(e):
        diff = e[None, :, :] - e[:, None, :]  # (B, B, D)
        d = torch.linalg.vector_norm(diff, dim=2)
        return d / (d.sum() / (n * (n - 1)))

    def angles(e):
        v = e[None, :, :] - e[:, None, :]  # v[i, j] = e_j - e_i
        return F.cosine_similarity(v[:, :, None, :], v[:, None, :, :], dim=-1, eps=1e-12)

    s = f_s.reshape(n, -1)
    with torch.no_grad():
        t = f_t.reshape(n, -1)
        d_t, a_t = distances(t), angles(t)
    loss_d = _huber_mean(distances(s), d_t)
    loss_a = _huber_mean(angles(s), a_t)
    return distance_weight * loss_d + angle_weight * loss_a
