"""Alternative: the squared L2 norm of the difference divided by the number of elements."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """||r(s) - t||^2 / numel."""
    u = teacher_feat.detach()
    r = regressor(student_feat)
    if r.dim() != u.dim() or any(a != b for a, b in zip(r.shape, u.shape, strict=True)):
        raise ValueError(
            f"shape mismatch after the regressor: {tuple(r.shape)} != {tuple(u.shape)}"
        )
    return F.mse_loss(r, u, reduction="sum") / u.numel()
