"""Mutant: never checks the number of weights; zip silently drops the extra teachers or weights."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _check_teachers(teacher_logits_list):
    if len(teacher_logits_list) == 0:
        raise ValueError("teacher_logits_list is empty")
    shape = teacher_logits_list[0].shape
    for logits in teacher_logits_list:
        if logits.shape != shape:
            raise ValueError("teachers' logits differ in shape")
    return shape


def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    _check_teachers(teacher_logits_list)
    if weights is None:
        weights = [1.0] * len(teacher_logits_list)
    weights = [float(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("negative weight")
    total = 0.0
    target = None
    for z, w in zip(teacher_logits_list, weights):  # stops at the shorter of the two
        term = w * F.softmax(z.detach() / temperature, dim=-1)
        target = term if target is None else target + term
        total += w
    if total <= 0:
        raise ValueError("teacher weights are all zero")
    return target / total


def multi_teacher_loss(student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5, weights=None):
    shape = _check_teachers(teacher_logits_list)
    if student_logits.shape != shape:
        raise ValueError("student and teachers differ in shape")
    T = temperature
    target = multi_teacher_targets(teacher_logits_list, T, weights)
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=-1), target, reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * T * T * soft + (1.0 - alpha) * hard
