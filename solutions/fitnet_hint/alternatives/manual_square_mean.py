"""Alternative: the squared error written out, the shape check on lists, teacher under no_grad."""

import torch
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """((r(s) - t)^2).mean() over every element."""
    with torch.no_grad():
        target = teacher_feat.clone()
    guided = regressor(student_feat)
    if list(guided.shape) != list(target.shape):
        raise ValueError("hint_loss: the regressed student feature and the hint differ in shape")
    diff = guided - target
    return (diff * diff).mean()
