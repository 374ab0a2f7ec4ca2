"""Mutant: copies only entries named num_batches_tracked and averages everything else."""

import torch


def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    with torch.no_grad():
        s_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = s_state[name]
            if name.endswith("num_batches_tracked"):   # BatchNorm's step counter
                t.copy_(s)
            else:
                t.mul_(momentum).add_(s, alpha=1 - momentum)
