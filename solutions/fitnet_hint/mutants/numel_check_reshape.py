"""Mutant: compares element counts and reshapes the hint, so a hint of another layout is accepted."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss checking numel() and reshaping the hint to the prediction's shape."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.numel() != hint.numel():
        raise ValueError("regressor output and hint have different sizes")
    return F.mse_loss(prediction, hint.reshape(prediction.shape))
