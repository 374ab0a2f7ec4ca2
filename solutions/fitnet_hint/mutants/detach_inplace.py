"""Mutant: detaches the caller's teacher feature in place with detach_(), changing the caller's tensor."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss that detaches the hint in place."""
    prediction = regressor(student_feat)
    teacher_feat.detach_()  # changes the caller's tensor: it no longer requires grad
    if prediction.shape != teacher_feat.shape:
        raise ValueError("shape mismatch")
    return F.mse_loss(prediction, teacher_feat)
