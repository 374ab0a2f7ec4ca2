"""Mutant: lets a NaN momentum through the range check and detects it only after the update has ruined the teacher."""

import math
import torch


def ema_update(teacher, student, momentum):
    if momentum < 0 or momentum > 1:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    with torch.no_grad():
        s_state = student.state_dict()
        seen = set()
        for name, t in teacher.state_dict().items():
            if t.numel() and t.data_ptr() in seen:
                continue
            seen.add(t.data_ptr())
            s = s_state[name]
            if t.is_floating_point():
                t.lerp_(s, 1.0 - momentum)
            else:
                t.copy_(s)
    # sanity check: a bad momentum (NaN) shows up as NaN weights
    if any(torch.isnan(p).any() for p in teacher.parameters()):
        raise ValueError(f"EMA update produced NaN weights (momentum={momentum})")
