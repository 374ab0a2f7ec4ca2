"""Mutant: detaches the student's feature, so only the regressor learns from the hint."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Hint loss that trains the regressor alone."""
    prediction = regressor(student_feat.detach())
    hint = teacher_feat.detach()
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint)
