"""Mutant: the teacher's feature is not detached, so gradients flow into the teacher."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss with a trainable teacher side."""
    prediction = regressor(student_feat)
    hint = teacher_feat
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint)
