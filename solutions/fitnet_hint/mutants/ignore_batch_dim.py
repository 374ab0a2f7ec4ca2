"""Mutant: compares the shapes without the batch dimension, so a teacher batch of 1 is broadcast and B + 1 raises RuntimeError."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss checking the per-example shapes only."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.shape[1:] != hint.shape[1:]:
        raise ValueError(f"{tuple(prediction.shape[1:])} vs {tuple(hint.shape[1:])}")
    return F.mse_loss(prediction, hint)
