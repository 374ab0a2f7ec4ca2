"""Alternative: teacher under torch.inference_mode(), the KL and the cross-entropy written out by
hand from log-probabilities, student.zero_grad(), float(loss.detach())."""

from __future__ import annotations

import torch
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
    """KL(p || q) = sum_c p_c (log p_c - log q_c), averaged over the batch; CE = -log q_y."""
    teacher.train(False)
    student.train(True)
    with torch.inference_mode():
        teacher_logits = teacher(x)

    student.zero_grad()
    student_logits = student(x)
    log_p = torch.log_softmax(teacher_logits / temperature, dim=-1)
    log_q = torch.log_softmax(student_logits / temperature, dim=-1)
    kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1).mean()
    log_q1 = torch.log_softmax(student_logits, dim=-1)
    ce = -log_q1.gather(1, y.unsqueeze(1)).mean()
    loss = alpha * temperature**2 * kl + (1 - alpha) * ce
    loss.backward()
    optimizer.step()
    return float(loss.detach())
