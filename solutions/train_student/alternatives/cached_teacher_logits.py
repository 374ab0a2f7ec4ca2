"""Alternative: each batch's teacher logits computed once and reused in later epochs (keyed by the batch tensor itself, so a reshuffling loader is fine); zero_grad(set_to_none=False) after each step."""

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
    """Distill with the frozen teacher's logits computed once per batch and cached."""
    teacher.eval()
    # Keyed by the batch tensor's identity; the tensor is kept in the cache, so its id cannot be
    # reused by another tensor. A loader that builds new tensors every epoch just misses.
    cache: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
    student.train()
    optimizer.zero_grad(set_to_none=False)
    losses: list[float] = []
    for _epoch in range(epochs):
        for x, y in loader:
            hit = cache.get(id(x))
            if hit is None or hit[0] is not x:
                with torch.no_grad():
                    hit = (x, teacher(x))
                cache[id(x)] = hit
            teacher_logits = hit[1]
            loss = distillation_loss(student(x), teacher_logits, y, temperature, alpha)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
            losses.append(loss.detach().item())
    return losses
