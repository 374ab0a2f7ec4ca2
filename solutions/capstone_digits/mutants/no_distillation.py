"""Mutant for capstone_digits: trains on the labels alone (the teacher is computed and never used)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

STEPS = 150
BATCH = 256
TEMPERATURE = 4.0
ALPHA = 0.9
LR = 1e-2


def distill(
    student: nn.Module,
    teacher: nn.Module,
    x_labelled: torch.Tensor,
    y_labelled: torch.Tensor,
    x_unlabelled: torch.Tensor,
    seed: int,
) -> None:
    """Train `student` in place: cross-entropy on the few labels, KD on every image."""
    generator = torch.Generator().manual_seed(seed)
    teacher.eval()
    with torch.no_grad():  # the teacher is fixed: its soft targets can be computed once
        soft_targets = F.softmax(teacher(x_unlabelled) / TEMPERATURE, dim=1)
    optimizer = torch.optim.Adam(student.parameters(), lr=LR)
    student.train()
    for _ in range(STEPS):
        batch = torch.randint(0, len(x_unlabelled), (BATCH,), generator=generator)
        kd = F.kl_div(
            F.log_softmax(student(x_unlabelled[batch]) / TEMPERATURE, dim=1),
            soft_targets[batch],
            reduction="batchmean",
        )
        ce = F.cross_entropy(student(x_labelled), y_labelled)
        loss = ce
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    student.eval()
