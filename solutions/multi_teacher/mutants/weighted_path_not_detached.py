"""Mutant: detaches the teachers only when weights is None."""

import torch
import torch.nn.functional as F

def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    M = len(teacher_logits_list)
    if M == 0:
        raise ValueError("no teacher")
    shape = teacher_logits_list[0].shape
    if any(z.shape != shape for z in teacher_logits_list):
        raise ValueError("teachers' logits differ in shape")
    if weights is None:
        # the plain ensemble: a frozen average
        with torch.no_grad():
            return torch.stack([F.softmax(z / temperature, dim=-1) for z in teacher_logits_list]).mean(0)
    w = torch.as_tensor(weights, dtype=torch.float32).flatten()
    if w.numel() != M or (w < 0).any() or w.sum() == 0:
        raise ValueError("bad weights")
    w = w / w.sum()
    probs = torch.stack([F.softmax(z / temperature, dim=-1) for z in teacher_logits_list])
    return (w[:, None, None] * probs).sum(0)

def multi_teacher_loss(student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5,
                       weights=None):
    if len(teacher_logits_list) and student_logits.shape != teacher_logits_list[0].shape:
        raise ValueError("student and teachers differ in shape")
    T = temperature
    target = multi_teacher_targets(teacher_logits_list, T, weights)
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=-1), target, reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * T * T * soft + (1 - alpha) * hard
