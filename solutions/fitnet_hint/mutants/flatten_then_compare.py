"""Mutant: flattens both features per example before comparing shapes, so any layout of as many elements passes."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss on (B, -1) flattened features."""
    prediction = regressor(student_feat).flatten(1)
    hint = teacher_feat.detach().flatten(1)
    if prediction.shape != hint.shape:
        raise ValueError("shape mismatch")
    return F.mse_loss(prediction, hint)
