"""Mutant: treats the loader as a list (len(loader), loader[i]); a DataLoader over an iterable
dataset, or any other plain iterable, breaks it."""

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
    teacher.eval()
    student.train()
    losses = []
    n = len(loader)
    for step in range(epochs * n):
        x, y = loader[step % n]
        with torch.no_grad():
            t = teacher(x)
        loss = distillation_loss(student(x), t, y, temperature, alpha)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
