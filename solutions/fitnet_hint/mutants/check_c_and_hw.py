"""Mutant: checks the channels and the spatial size but not the batch size."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss checking dimension 1 and, for maps, H and W."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.size(1) != hint.size(1):
        raise ValueError("channel mismatch")
    if prediction.dim() == 4 and prediction.shape[2:] != hint.shape[2:]:
        raise ValueError("spatial mismatch")
    return F.mse_loss(prediction, hint)
