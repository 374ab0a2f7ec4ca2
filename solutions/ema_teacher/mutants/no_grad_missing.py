"""Mutant: no torch.no_grad(): the in-place update of a parameter that requires grad raises RuntimeError."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    student_params = dict(student.named_parameters())
    for name, p_t in teacher.named_parameters():
        p_t.mul_(momentum).add_(student_params[name], alpha=1.0 - momentum)
    student_buffers = dict(student.named_buffers())
    for name, b_t in teacher.named_buffers():
        if b_t.is_floating_point():
            b_t.mul_(momentum).add_(student_buffers[name], alpha=1.0 - momentum)
        else:
            b_t.copy_(student_buffers[name])
