"""Mutant: the new value is assigned to the loop variable, so the teacher's tensors never change."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    with torch.no_grad():
        student_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = student_state[name]
            if t.is_floating_point():
                t = momentum * t + (1.0 - momentum) * s  # rebinds the name: no update
            else:
                t = s.clone()
