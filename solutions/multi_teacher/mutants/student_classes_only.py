"""Mutant: compares only the number of classes of the student and the teachers; red team: a student
batch of 1 broadcasts against the teachers' batch instead of raising ValueError."""

import torch
import torch.nn.functional as F

def _weights(weights, M):
    if weights is None:
        return torch.full((M,), 1.0 / M)
    w = torch.as_tensor(weights, dtype=torch.float32)
    if w.numel() != M or (w < 0).any() or w.sum() == 0:
        raise ValueError("bad weights")
    return w / w.sum()

def _check(ts):
    if len(ts) == 0:
        raise ValueError("no teacher")
    if any(t.shape != ts[0].shape for t in ts):
        raise ValueError("shapes differ")

def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    _check(teacher_logits_list)
    w = _weights(weights, len(teacher_logits_list))
    probs = torch.stack([F.softmax(t.detach() / temperature, -1) for t in teacher_logits_list])
    return (w[:, None, None] * probs).sum(0)

def multi_teacher_loss(student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5, weights=None):
    _check(teacher_logits_list)
    if student_logits.shape[-1] != teacher_logits_list[0].shape[-1]:
        raise ValueError("student shape")
    T = temperature
    target = multi_teacher_targets(teacher_logits_list, T, weights)
    soft = F.kl_div(F.log_softmax(student_logits / T, -1), target, reduction="batchmean")
    return alpha * T * T * soft + (1 - alpha) * F.cross_entropy(student_logits, labels)
