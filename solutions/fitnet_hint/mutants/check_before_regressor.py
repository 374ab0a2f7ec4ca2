"""Mutant: checks the student's shape against the teacher's before the regressor, rejecting every real case."""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """Shape check in the wrong place."""
    if student_feat.shape != teacher_feat.shape:
        raise ValueError(f"shape mismatch: {tuple(student_feat.shape)} vs {tuple(teacher_feat.shape)}")
    prediction = regressor(student_feat)
    return F.mse_loss(prediction, teacher_feat.detach())
