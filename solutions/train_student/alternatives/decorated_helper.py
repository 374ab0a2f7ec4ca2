"""Alternative: a @torch.no_grad() helper for the teacher, requires_grad_(False) on it, and a step counter instead of nested appends."""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, y)."""
    t = temperature
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, labels)
    return alpha * t * t * soft + (1.0 - alpha) * hard


def train_student(
    student: nn.Module,
    teacher: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    temperature: float = 4.0,
    alpha: float = 0.5,
    epochs: int = 1,
) -> list[float]:
    """Distill with a no_grad-decorated helper for the teacher."""

    @torch.no_grad()
    def soft_targets(x: torch.Tensor) -> torch.Tensor:
        return teacher(x)

    teacher.eval().requires_grad_(False)
    losses: list[float] = []
    for _ in range(epochs):
        student.train()  # re-assert every epoch (e.g. after a validation pass)
        for x, y in iter(loader):
            optimizer.zero_grad(set_to_none=True)
            teacher_logits = soft_targets(x)
            student_logits = student(x)
            loss = distillation_loss(student_logits, teacher_logits, y, temperature, alpha)
            loss.backward()
            optimizer.step()
            losses += [loss.item()]
    return losses
