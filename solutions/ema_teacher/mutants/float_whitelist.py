"""Mutant: 'floating point' is a hand-written list (float16, float32, float64) that forgets bfloat16."""

import torch

FLOAT_TYPES = (torch.float16, torch.float32, torch.float64)


def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    with torch.no_grad():
        s_state = student.state_dict()
        seen = set()
        for name, t in teacher.state_dict().items():
            if t.numel() and t.data_ptr() in seen:
                continue
            seen.add(t.data_ptr())
            s = s_state[name]
            if t.dtype in FLOAT_TYPES:
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)
