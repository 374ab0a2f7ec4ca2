"""Exercise: fitnet_hint — the FitNets hint loss (Romero et al., 2015).

A thin student cannot match a wide teacher's hidden features directly: their channel counts
differ. FitNets puts a small trainable regressor on the student's side, maps the student's
feature (the "guided layer") into the teacher's feature space, and regresses it onto the teacher's
feature (the "hint") with a squared error.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will probably want it)
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """The mean squared error between `regressor(student_feat)` and `teacher_feat`.

    Args:
        student_feat: the student's feature, (B, C_s, H, W) for a convolutional layer or (B, D_s)
            for a fully connected one. Gradients flow into it.
        teacher_feat: the teacher's feature (the hint), (B, C_t, H, W) or (B, D_t): a fixed
            target, no gradient may reach it.
        regressor: a trainable module (a 1x1 convolution or a linear layer) mapping the student's
            feature to the teacher's shape. It must receive gradients.

    Returns:
        A 0-dim tensor: the squared error averaged over every element (B * C_t * H * W).

    Raises:
        ValueError: if `regressor(student_feat)` and `teacher_feat` do not have the same shape.
    """
    # TODO: map the student's feature into the teacher's space with the regressor.
    # TODO: make the teacher's feature a fixed target (no gradient).
    # TODO: refuse mismatched shapes with a ValueError (do not let broadcasting hide them).
    # TODO: return the mean squared error over all elements.
    raise NotImplementedError("hint_loss is not implemented yet")
