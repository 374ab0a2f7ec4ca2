"""Mutant: only parameters() are averaged (as DINO and Mean Teacher do): the BatchNorm buffers are left behind."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    with torch.no_grad():
        for p_t, p_s in zip(teacher.parameters(), student.parameters(), strict=True):
            p_t.mul_(momentum).add_(p_s, alpha=1.0 - momentum)
