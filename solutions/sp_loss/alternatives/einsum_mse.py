"""Alternative: torch.einsum for the Gram matrix, rows divided by their clamped norms by hand,
F.mse_loss (its mean over the B*B entries is the sum divided by B^2), teacher under no_grad."""

import torch
import torch.nn.functional as F


def _rows_normalised_gram(f):
    flat = f.flatten(start_dim=1)
    gram = torch.einsum("id,jd->ij", flat, flat)
    return gram / gram.norm(dim=1, keepdim=True).clamp_min(1e-12)


def sp_loss(f_s, f_t):
    if len(f_s) != len(f_t):
        raise ValueError(f"batch size mismatch: student {len(f_s)}, teacher {len(f_t)}")
    with torch.no_grad():
        g_t = _rows_normalised_gram(f_t)
    return F.mse_loss(_rows_normalised_gram(f_s), g_t)
