"""Mutant: every state_dict entry is averaged, the integer batch counter too (timm ModelEmaV2 style), which truncates it."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    with torch.no_grad():
        for t, s in zip(teacher.state_dict().values(), student.state_dict().values(), strict=True):
            t.copy_(momentum * t + (1.0 - momentum) * s)
