"""Mutant for train_student: keeps student.state_dict() itself as the best state: its tensors are the live weights, so the 'best' follows training to the last epoch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> float:
    """Accuracy over every sample of the loader: eval mode (BatchNorm uses and keeps its running
    statistics), no autograd."""
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(dim=1) == y).sum())
            total += len(y)
    return correct / total


def train_student(
    student: nn.Module,
    teacher: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    val_loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    temperature: float = 4.0,
    alpha: float = 0.5,
    epochs: int = 1,
) -> dict[str, Any]:
    """Distil for `epochs`, validate after each, and leave the student at its best epoch."""
    teacher.eval()  # frozen: BatchNorm uses (and keeps) its running statistics, dropout off
    losses: list[float] = []
    accuracies: list[float] = []
    best_epoch, best_state = -1, None
    for epoch in range(epochs):
        student.train()  # every epoch: the evaluation below left it in eval mode
        for x, y in loader:
            with torch.no_grad():
                teacher_logits = teacher(x)
            loss = distillation_loss(student(x), teacher_logits, y, temperature, alpha)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

        accuracy = evaluate(student, val_loader)
        accuracies.append(accuracy)
        if best_state is None or accuracy > accuracies[best_epoch]:  # ties keep the earlier one
            best_epoch = epoch
            # A copy, not state_dict() itself: its tensors ARE the live weights, which the next
            # epoch keeps changing. Buffers (BatchNorm statistics) are part of it.
            best_state = student.state_dict()

    if best_state is not None:
        student.load_state_dict(best_state)
    student.eval()
    return {"losses": losses, "val_accuracy": accuracies, "best_epoch": best_epoch}
