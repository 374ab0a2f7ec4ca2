"""Mutant: steps a fresh SGD(lr) of its own, dropping the given optimizer's momentum, Nesterov and weight decay."""

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
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, y)
    loss = alpha * t * t * soft + (1.0 - alpha) * hard

    # a fresh optimizer with the same learning rate: the caller's settings and state are lost
    optimizer = torch.optim.SGD(student.parameters(), lr=optimizer.param_groups[0]["lr"])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
