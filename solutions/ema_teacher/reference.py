"""Reference solution for ema_teacher: the mean-teacher / DINO momentum update of a teacher."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """teacher ← momentum · teacher + (1 − momentum) · student, in place, without autograd.

    As timm's ModelEmaV3.update() with its default exclude_buffers=False: every floating-point
    entry of the state_dict (parameters and BatchNorm running_mean / running_var) is averaged,
    every other entry (the integer num_batches_tracked) is copied from the student. A tensor
    listed under two names (tied weights) is updated once; buffers registered with
    persistent=False are not in the state_dict and are left alone.
    """
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    # state_dict() returns the module's own tensors (detached views of the same storage), so
    # in-place operations on them update the teacher itself. no_grad: the update is not part of
    # any graph (and in-place ops on a parameter that requires grad are refused under autograd).
    with torch.no_grad():
        student_state = student.state_dict()
        seen: set[int] = set()
        for name, t in teacher.state_dict().items():
            # Tied weights (an embedding shared with the output layer) appear under both names
            # but are one tensor: updating it twice would apply momentum² instead of momentum.
            if t.numel() and t.data_ptr() in seen:
                continue
            seen.add(t.data_ptr())
            s = student_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)  # a step counter cannot be averaged: take the student's
