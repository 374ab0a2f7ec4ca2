"""Mutant: freezes the teacher (requires_grad off) instead of using torch.no_grad(), so the
in-place update is allowed but recorded by autograd: the teacher's weights leave the leaves and
hang off the student's graph."""

from __future__ import annotations

from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """EMA update with one mistake (see the module docstring)."""
    if not 0.0 <= momentum <= 1.0:
        raise ValueError("momentum must be in [0, 1]")
    teacher.requires_grad_(False)
    student_params = dict(student.named_parameters())
    for name, p_t in teacher.named_parameters():
        p_t.mul_(momentum).add_(student_params[name], alpha=1.0 - momentum)
    student_buffers = dict(student.named_buffers())
    for name, b_t in teacher.named_buffers():
        if b_t.is_floating_point():
            b_t.mul_(momentum).add_(student_buffers[name], alpha=1.0 - momentum)
        else:
            b_t.copy_(student_buffers[name])
