"""Mutant: builds an averaged copy of the teacher and returns it, leaving the teacher as it was."""

from __future__ import annotations

import copy

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> nn.Module:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    averaged = copy.deepcopy(teacher)
    with torch.no_grad():
        student_state = student.state_dict()
        for name, t in averaged.state_dict().items():
            s = student_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)
    return averaged
