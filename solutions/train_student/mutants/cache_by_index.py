"""Mutant: caches the teacher's logits by batch position in the first epoch and reuses them later; wrong once the loader reshuffles."""

from __future__ import annotations
import torch
import torch.nn.functional as F
from torch import nn


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    t = temperature
    soft = F.kl_div(F.log_softmax(student_logits / t, dim=1), F.softmax(teacher_logits / t, dim=1), reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * t * t * soft + (1.0 - alpha) * hard


def train_student(student, teacher, loader, optimizer, temperature=4.0, alpha=0.5, epochs=1):
    # The teacher never changes, so its logits for batch i are computed in the first epoch and
    # looked up by batch index afterwards.
    teacher.eval()
    student.train()
    cache = {}
    losses = []
    for _ in range(epochs):
        for i, (x, y) in enumerate(loader):
            if i not in cache:
                with torch.no_grad():
                    cache[i] = teacher(x)
            loss = distillation_loss(student(x), cache[i], y, temperature, alpha)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses
