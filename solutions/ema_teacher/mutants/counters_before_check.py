"""Mutant: copies the batch counters before validating momentum, so a ValueError leaves the teacher changed."""

import torch


def _ema_(t, s, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    t.mul_(momentum).add_(s, alpha=1 - momentum)


def ema_update(teacher, student, momentum):
    with torch.no_grad():
        s_state = student.state_dict()
        t_state = teacher.state_dict()
        # counters first: they do not depend on the momentum
        for name, t in t_state.items():
            if not t.is_floating_point():
                t.copy_(s_state[name])
        for name, t in t_state.items():
            if t.is_floating_point():
                _ema_(t, s_state[name], momentum)
