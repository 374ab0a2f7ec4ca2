"""Mutant: puts both models in eval mode for the update and never restores the student's training mode."""

import torch


def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    # put both models in eval mode so that BatchNorm statistics are frozen while we read them
    teacher.eval()
    student.eval()
    with torch.no_grad():
        s_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = s_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1 - momentum)
            else:
                t.copy_(s)
