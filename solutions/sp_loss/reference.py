"""Reference solution for sp_loss: similarity-preserving KD (Tung & Mori, ICCV 2019).

Matches mdistiller's SP.py (similarity_loss): features viewed as (B, -1), Gram matrix f f^T,
F.normalize along rows, squared Frobenius norm of the difference divided by B^2 — returned as a
0-dim tensor (mdistiller's `.view(-1, 1).sum(0)` leaves shape (1,)).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _similarity(f: torch.Tensor) -> torch.Tensor:
    """(B, ...) -> (B, B) Gram matrix of the flattened features, each row L2-normalised."""
    flat = f.reshape(f.shape[0], -1)
    gram = flat @ flat.t()  # (B, B): only B has to match between student and teacher
    return F.normalize(gram, p=2, dim=1)


def sp_loss(f_s: torch.Tensor, f_t: torch.Tensor) -> torch.Tensor:
    """||G_t - G_s||_F^2 / B^2 for the row-normalised batch similarity matrices."""
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError(f"student and teacher batches differ: {f_s.shape[0]} vs {f_t.shape[0]}")
    b = f_s.shape[0]
    g_s = _similarity(f_s)
    g_t = _similarity(f_t.detach())  # the teacher is a fixed target
    return (g_t - g_s).pow(2).sum() / (b * b)
