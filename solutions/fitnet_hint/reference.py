"""Reference solution for fitnet_hint: the FitNets hint loss (Romero et al., 2015).

Conventions of the public implementations: RepDistiller's HintLoss (nn.MSELoss() between the
regressed student feature and the teacher's) and mdistiller's FitNet (F.mse_loss): the squared
error averaged over every element, with no factor 1/2.
"""

import torch
import torch.nn.functional as F
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """mean((regressor(student_feat) - teacher_feat)^2), the teacher side carrying no gradient."""
    # The regressor sits on the student's side: it learns with the student, and is thrown away
    # after training.
    prediction = regressor(student_feat)
    # The hint is a fixed target.
    hint = teacher_feat.detach()
    # F.mse_loss would broadcast some mismatched shapes (with only a warning): refuse them.
    if prediction.shape != hint.shape:
        raise ValueError(
            f"regressor(student_feat) has shape {tuple(prediction.shape)} but teacher_feat has "
            f"shape {tuple(hint.shape)}"
        )
    return F.mse_loss(prediction, hint)  # mean over B * C * H * W elements
