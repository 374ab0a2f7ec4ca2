"""Mutant: switches requires_grad off on both models, then turns the whole student back on, unfreezing frozen layers."""

import torch


def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    teacher_flags = {n: p.requires_grad for n, p in teacher.named_parameters()}
    # switch autograd off on both models for the update ...
    teacher.requires_grad_(False)
    student.requires_grad_(False)
    s_state = student.state_dict()
    for name, t in teacher.state_dict().items():
        s = s_state[name]
        if t.is_floating_point():
            t.mul_(momentum).add_(s, alpha=1 - momentum)
        else:
            t.copy_(s)
    # ... and back on: the student still has to train; the teacher gets its own flags back
    student.requires_grad_(True)
    for n, p in teacher.named_parameters():
        p.requires_grad_(teacher_flags[n])
