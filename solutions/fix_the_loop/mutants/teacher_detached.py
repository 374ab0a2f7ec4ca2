"""Mutant: the teacher runs with autograd on and its output is detached afterwards (the graph is built anyway)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def distill_step(
    student: nn.Module,
    teacher: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    temperature: float,
    alpha: float,
) -> float:
    """A distillation step with one mistake (see the module docstring)."""
    teacher.eval()
    student.train()
    teacher_logits = teacher(x).detach()
    student_logits = student(x)

    t = temperature
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, y)
    loss = alpha * t * t * soft + (1.0 - alpha) * hard

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
