"""Mutant: checks momentum < 0 or momentum > 1, which lets NaN through (every comparison with NaN is False)."""

import torch


def ema_update(teacher, student, momentum):
    if momentum < 0 or momentum > 1:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    with torch.no_grad():
        s_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = s_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1 - momentum)
            else:
                t.copy_(s)
