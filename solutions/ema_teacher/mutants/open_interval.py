"""Mutant: the range check excludes the end points, so momentum 0 and 1 are rejected."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 < momentum < 1.0:
        raise ValueError("momentum must be in (0, 1)")
    with torch.no_grad():
        student_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = student_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)
