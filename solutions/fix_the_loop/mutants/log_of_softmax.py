"""Mutant: writes the KL with torch.log(F.softmax(...)), which is -inf (and the loss nan) once softmax underflows to 0."""

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
    """One step of alpha * T² * KL(p_t^T || p_s^T) + (1 - alpha) * CE(s, y); returns the loss."""
    # The teacher is frozen: eval mode (BatchNorm uses and keeps its running statistics, dropout
    # off) and no autograd (no graph is built for it and no gradient can reach it).
    teacher.eval()
    student.train()
    with torch.no_grad():
        teacher_logits = teacher(x)
    student_logits = student(x)

    t = temperature
    # Hinton et al. (2015), as mdistiller's kd_loss computes it: KL summed over classes and
    # averaged over the batch ("batchmean"), times T² so its gradients keep their scale.
    p = F.softmax(teacher_logits / t, dim=1)
    q = F.softmax(student_logits / t, dim=1)
    soft = (p * (torch.log(p) - torch.log(q))).sum(dim=1).mean()
    hard = F.cross_entropy(student_logits, y)
    loss = alpha * t * t * soft + (1.0 - alpha) * hard

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
