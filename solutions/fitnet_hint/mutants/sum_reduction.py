"""Mutant: the squared errors are summed instead of averaged."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Sum of squared errors."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint, reduction="sum")
