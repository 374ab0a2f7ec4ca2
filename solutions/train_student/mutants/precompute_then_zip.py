"""Mutant: computes the teacher's logits in a first pass and zips them with each epoch's batches; a shuffling loader pairs batches with other batches' logits."""

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
    # Offline KD: the teacher is frozen, so compute its logits once for the whole loader and
    # reuse them every epoch instead of re-running it.
    teacher.eval()
    with torch.no_grad():
        teacher_logits = [teacher(x) for x, _ in loader]
    student.train()
    losses = []
    for _ in range(epochs):
        for (x, y), t in zip(loader, teacher_logits):
            loss = distillation_loss(student(x), t, y, temperature, alpha)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses
