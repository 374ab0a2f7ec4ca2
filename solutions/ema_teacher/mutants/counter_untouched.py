"""Mutant: integer entries are skipped, so the teacher keeps its own batch counter."""

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
            if t.is_floating_point():
                t.mul_(momentum).add_(student_state[name], alpha=1.0 - momentum)
