"""Mutant: the soft term is not multiplied by T², so its gradients shrink by 1/T²."""

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
    with torch.no_grad():
        teacher_logits = teacher(x)
    student_logits = student(x)

    t = temperature
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, y)
    loss = alpha * soft + (1.0 - alpha) * hard

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
