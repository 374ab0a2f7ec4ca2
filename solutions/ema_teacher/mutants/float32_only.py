"""Mutant: averages only float32 entries; other floating-point dtypes are copied from the student."""

import torch


def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    with torch.no_grad():
        s_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = s_state[name]
            if t.dtype == torch.float32:       # weights and running statistics
                t.lerp_(s, 1 - momentum)
            else:                              # the int64 counter
                t.copy_(s)
