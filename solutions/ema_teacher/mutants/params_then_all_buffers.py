"""Mutant: copies only torch.long buffers; a boolean buffer is averaged."""

import torch


@torch.no_grad()
def ema_update(teacher, student, momentum):
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    for p_t, p_s in zip(teacher.parameters(), student.parameters()):
        p_t.mul_(momentum).add_(p_s, alpha=1 - momentum)
    for b_t, b_s in zip(teacher.buffers(), student.buffers()):
        if b_t.dtype == torch.long:
            b_t.copy_(b_s)
        else:
            b_t.mul_(momentum).add_(b_s, alpha=1 - momentum)
