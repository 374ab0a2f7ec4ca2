"""Alternative: the new state is computed out of place from the two state_dicts and written back
with load_state_dict(), which copies into the teacher's existing tensors (so it is in place)."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """Average the floating-point entries, take the student's integer ones, load the result."""
    if not (0 <= momentum <= 1):
        raise ValueError("momentum must lie in [0, 1]")
    with torch.no_grad():
        t_state, s_state = teacher.state_dict(), student.state_dict()
        new_state = {
            key: momentum * t_state[key] + (1 - momentum) * s_state[key]
            if t_state[key].dtype.is_floating_point
            else s_state[key].clone()
            for key in t_state
        }
    teacher.load_state_dict(new_state)
