"""Mutant: turns requires_grad off on both models instead of using torch.no_grad(), and leaves the student frozen."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    teacher.requires_grad_(False)
    student.requires_grad_(False)
    student_state = student.state_dict()
    for name, t in teacher.state_dict().items():
        s = student_state[name]
        if t.is_floating_point():
            t.mul_(momentum).add_(s, alpha=1.0 - momentum)
        else:
            t.copy_(s)
