"""Alternative: the paper's F_sum^p (sum over channels instead of mean: the constant 1/C cancels
in the normalisation), normalised by hand with a clamped norm, pooling with
F.interpolate(mode="area") (the same averaging as adaptive_avg_pool2d), F.mse_loss, and the
teacher's map under torch.no_grad()."""

import torch
import torch.nn.functional as F


def _unit_map(f, p):
    am = f.abs().pow(p).sum(dim=1).reshape(f.shape[0], -1)  # Σ_c |f_c|^p, (B, H*W)
    return am / am.norm(dim=1, keepdim=True).clamp_min(1e-12)


def at_loss(f_s, f_t, p=2):
    size_s, size_t = tuple(f_s.shape[-2:]), tuple(f_t.shape[-2:])
    if size_s[0] * size_s[1] > size_t[0] * size_t[1]:
        f_s = F.interpolate(f_s, size=size_t, mode="area")
    elif size_s != size_t:
        f_t = F.interpolate(f_t, size=size_s, mode="area")
    with torch.no_grad():
        target = _unit_map(f_t, p)
    return F.mse_loss(_unit_map(f_s, p), target)
