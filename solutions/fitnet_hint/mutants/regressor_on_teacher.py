"""Mutant: the regressor is applied to the teacher's feature instead of the student's."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Regress the teacher onto the student (the wrong side)."""
    prediction = student_feat
    hint = regressor(teacher_feat.detach())
    if prediction.shape != hint.shape:
        raise ValueError(f"shape mismatch: {tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint)
