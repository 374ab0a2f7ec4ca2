"""Alternative: the KL written as soft-target cross-entropy minus the teacher's entropy, modules
for the losses, teacher.requires_grad_(False) plus a @torch.no_grad() helper, and student.zero_grad(set_to_none=True)
instead of optimizer.zero_grad()."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

_ce = nn.CrossEntropyLoss()


@torch.no_grad()
def _soft_targets(teacher: nn.Module, x: torch.Tensor, temperature: float) -> torch.Tensor:
    teacher.eval().requires_grad_(False)
    return F.softmax(teacher(x) / temperature, dim=1)


def distill_step(
    student: nn.Module,
    teacher: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    temperature: float,
    alpha: float,
) -> float:
    """KL(p || q) = H(p, q) - H(p): the entropy of the fixed targets only shifts the value."""
    p = _soft_targets(teacher, x, temperature)
    student.train()
    logits = student(x)
    entropy = -(p * p.clamp_min(1e-30).log()).sum(dim=1).mean()
    kl = _ce(logits / temperature, p) - entropy  # probability targets: mean over the batch
    loss = (temperature * temperature * alpha) * kl + (1 - alpha) * _ce(logits, y)
    student.zero_grad(set_to_none=True)  # clears whatever an earlier step left in .grad
    loss.backward()
    optimizer.step()
    return loss.detach().item()
