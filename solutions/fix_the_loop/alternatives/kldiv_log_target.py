"""Alternative: nn.KLDivLoss(log_target=True) on two log-softmaxes, the teacher switched to eval
inside the no_grad block, gradients cleared with set_to_none=False."""

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
    """Same loss, with the target given as log-probabilities."""
    kl_div = nn.KLDivLoss(reduction="batchmean", log_target=True)
    optimizer.zero_grad(set_to_none=False)
    with torch.no_grad():
        teacher.eval()
        log_p_teacher = F.log_softmax(teacher(x) / temperature, dim=1)
    student.train()
    student_logits = student(x)
    soft = kl_div(F.log_softmax(student_logits / temperature, dim=1), log_p_teacher)
    hard = F.nll_loss(F.log_softmax(student_logits, dim=1), y)
    loss = torch.lerp(hard, soft * temperature**2, alpha)  # hard + alpha * (T² soft - hard)
    loss.backward()
    optimizer.step()
    return loss.item()
