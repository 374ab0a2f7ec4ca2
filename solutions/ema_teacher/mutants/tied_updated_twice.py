"""Mutant: loops over state_dict() as timm does, so a tied weight (listed under two names) is
updated twice and moves with momentum² instead of momentum."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """teacher ← momentum · teacher + (1 − momentum) · student, in place, without autograd.

    As timm's ModelEmaV3.update() with its default exclude_buffers=False: every floating-point
    entry of the state_dict (parameters and BatchNorm running_mean / running_var) is averaged,
    every other entry (the integer num_batches_tracked) is copied from the student.
    """
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    # state_dict() returns the module's own tensors (detached views of the same storage), so
    # in-place operations on them update the teacher itself. no_grad: the update is not part of
    # any graph (and in-place ops on a parameter that requires grad are refused under autograd).
    with torch.no_grad():
        student_state = student.state_dict()
        for name, t in teacher.state_dict().items():
            s = student_state[name]
            if t.is_floating_point():
                t.mul_(momentum).add_(s, alpha=1.0 - momentum)
            else:
                t.copy_(s)  # a step counter cannot be averaged: take the student's
