"""Mutant: no shape check, so F.mse_loss broadcasts (1, 1) maps and torch raises RuntimeError otherwise."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """FitNets hint loss trusting the shapes."""
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    return F.mse_loss(prediction, hint)
