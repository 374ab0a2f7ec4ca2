"""Exercise: train_student — the distillation training loop.

`distillation_loss` is given (it is the previous exercise's answer). Your job is the loop around
it: a frozen teacher, a student that learns, and one loss value per optimisation step.
"""

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
    """alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, y).

    Already implemented: do not change it.
    """
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
    """Train `student` to imitate the frozen `teacher` with `distillation_loss`.

    Args:
        student: the model being trained; `optimizer` holds its parameters.
        teacher: the trained model to imitate. It must not change in any way.
        loader: an iterable of `(x, y)` batches, x of shape (B, features) and y of shape (B,)
            holding class indices. Go through it once per epoch.
        optimizer: the student's optimizer.
        temperature: T of the distillation loss.
        alpha: weight of the soft (teacher) term; 1 - alpha weighs the hard-label term.
        epochs: how many passes over `loader`.

    Returns:
        One Python float per optimisation step (the loss of that step's batch), in order:
        `epochs * number_of_batches` values.
    """
    # TODO: put the teacher and the student in the right modes.
    # TODO: for each epoch, for each (x, y) batch:
    #   TODO: get the teacher's logits without building a graph for the teacher.
    #   TODO: run the student, compute distillation_loss(...) with temperature and alpha.
    #   TODO: one optimisation step (clear old gradients, backward, step).
    #   TODO: record the loss as a Python float.
    raise NotImplementedError("train_student is not implemented yet")
