"""Alternative: a @torch.no_grad() function that walks named_parameters() and named_buffers()
separately and uses lerp_ (as timm's ModelEmaV3 does for its foreach-less path). Both walks list
a tied tensor once; buffers that are not in the state_dict (persistent=False) are skipped."""

from __future__ import annotations

import math

import torch
from torch import nn


@torch.no_grad()
def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """lerp_(s, w) computes t + w·(s − t) = (1 − w)·t + w·s, so w = 1 − momentum."""
    if math.isnan(momentum) or momentum < 0 or momentum > 1:
        raise ValueError(f"momentum {momentum} is not in [0, 1]")
    weight = 1.0 - momentum
    student_params = dict(student.named_parameters())
    for name, p_t in teacher.named_parameters():
        p_t.lerp_(student_params[name], weight)
    student_buffers = dict(student.named_buffers())
    persistent = set(teacher.state_dict())
    for name, b_t in teacher.named_buffers():
        if name not in persistent:  # a non-persistent buffer is not part of the model's state
            continue
        b_s = student_buffers[name]
        if torch.is_floating_point(b_t):
            b_t.lerp_(b_s, weight)
        else:
            b_t.copy_(b_s)
