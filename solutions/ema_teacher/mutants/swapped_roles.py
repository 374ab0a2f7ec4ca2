"""Mutant: the roles are swapped: the student is moved towards the teacher, which never changes."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    with torch.no_grad():
        teacher_state = teacher.state_dict()
        for name, s in student.state_dict().items():
            t = teacher_state[name]
            if s.is_floating_point():
                s.mul_(momentum).add_(t, alpha=1.0 - momentum)
            else:
                s.copy_(t)
