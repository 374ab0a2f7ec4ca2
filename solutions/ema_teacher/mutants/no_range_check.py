"""Mutant: the momentum is never checked, so 1.5 or 99 silently extrapolate."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    with torch.no_grad():
        student_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = student_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)
