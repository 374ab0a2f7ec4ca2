"""Mutant: the absolute error (L1) instead of the squared error."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Mean absolute error."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.l1_loss(prediction, hint)
