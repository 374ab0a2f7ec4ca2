"""Mutant: squared errors summed over each example's features, then averaged over the batch only."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Per-example sum of squares, mean over the batch."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    per_example = (prediction - hint).pow(2).flatten(1).sum(dim=1)
    return per_example.mean()
