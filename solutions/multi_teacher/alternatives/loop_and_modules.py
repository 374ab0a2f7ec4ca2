"""Alternative: a loop over the teachers, nn.KLDivLoss / nn.CrossEntropyLoss modules, tensor weights."""

import torch
from torch import nn


def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    n = len(teacher_logits_list)
    if n == 0:
        raise ValueError("teacher_logits_list must not be empty")
    shape = teacher_logits_list[0].shape
    for z in teacher_logits_list[1:]:
        if z.shape != shape:
            raise ValueError(f"shape mismatch: {tuple(z.shape)} vs {tuple(shape)}")
    w = (
        torch.ones(n)
        if weights is None
        else torch.as_tensor(weights, dtype=torch.float32).reshape(-1)
    )
    if w.numel() != n:
        raise ValueError(f"{w.numel()} weights for {n} teachers")
    if (w < 0).any():
        raise ValueError("negative weight")
    if w.sum() == 0:
        raise ValueError("all weights are zero")
    w = w / w.sum()
    target = torch.zeros(shape, dtype=teacher_logits_list[0].dtype)
    for weight, z in zip(w.tolist(), teacher_logits_list, strict=True):
        target = target + weight * torch.softmax(z.detach() / temperature, dim=-1)
    return target


def multi_teacher_loss(
    student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5, weights=None
):
    if len(teacher_logits_list) > 0 and teacher_logits_list[0].shape != student_logits.shape:
        raise ValueError("the student's logits must have the teachers' shape")
    target = multi_teacher_targets(teacher_logits_list, temperature, weights)
    kl = nn.KLDivLoss(reduction="batchmean")(
        torch.log_softmax(student_logits / temperature, dim=1), target
    )
    ce = nn.CrossEntropyLoss()(student_logits, labels)
    return alpha * temperature * temperature * kl + (1.0 - alpha) * ce
