"""Mutant: parameters are averaged but every buffer, running statistics included, is copied from the student (timm ModelEmaV3 with exclude_buffers=True)."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    with torch.no_grad():
        for p_t, p_s in zip(teacher.parameters(), student.parameters(), strict=True):
            p_t.lerp_(p_s, 1.0 - momentum)
        for b_t, b_s in zip(teacher.buffers(), student.buffers(), strict=True):
            b_t.copy_(b_s)
