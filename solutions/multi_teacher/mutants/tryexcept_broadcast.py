"""Mutant: sums the teachers' softmaxes in a loop, so a teacher with a batch of 1 broadcasts."""

import torch
import torch.nn.functional as F

def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    M = len(teacher_logits_list)
    if M == 0:
        raise ValueError("no teacher")
    if weights is None:
        w = [1.0 / M] * M
    else:
        if len(weights) != M:
            raise ValueError("one weight per teacher")
        if any(x < 0 for x in weights):
            raise ValueError("negative weight")
        total = float(sum(weights))
        if total == 0:
            raise ValueError("all weights zero")
        w = [float(x) / total for x in weights]
    try:
        target = 0
        for wm, z in zip(w, teacher_logits_list):
            target = target + wm * F.softmax(z.detach() / temperature, dim=-1)
    except RuntimeError as e:  # mismatched shapes
        raise ValueError(f"teachers' logits do not match: {e}") from e
    return target

def multi_teacher_loss(student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5,
                       weights=None):
    T = temperature
    target = multi_teacher_targets(teacher_logits_list, T, weights)
    if student_logits.shape != target.shape:
        raise ValueError("student and teachers differ in shape")
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=-1), target, reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * T * T * soft + (1 - alpha) * hard
