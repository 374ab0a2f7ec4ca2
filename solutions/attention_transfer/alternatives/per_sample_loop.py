"""Alternative: one sample at a time (map, normalisation, squared error), averaged at the end;
the pooled side is chosen by trying to pool each input to the other's size."""

import torch
import torch.nn.functional as F


def at_loss(f_s, f_t, p=2):
    f_t = f_t.detach()
    if f_s.shape[2] * f_s.shape[3] > f_t.shape[2] * f_t.shape[3]:
        f_s = F.adaptive_avg_pool2d(f_s, f_t.shape[2:])
    elif f_s.shape[2] * f_s.shape[3] < f_t.shape[2] * f_t.shape[3]:
        f_t = F.adaptive_avg_pool2d(f_t, f_s.shape[2:])
    errors = []
    for s, t in zip(f_s, f_t, strict=True):  # s: (C_s, H, W), t: (C_t, H, W)
        a_s = F.normalize(s.abs().pow(p).mean(dim=0).reshape(-1), dim=0)
        a_t = F.normalize(t.abs().pow(p).mean(dim=0).reshape(-1), dim=0)
        errors.append((a_s - a_t).pow(2))
    return torch.stack(errors).mean()
