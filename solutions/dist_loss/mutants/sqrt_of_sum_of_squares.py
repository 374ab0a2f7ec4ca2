"""Mutant: the norms written as sqrt of a sum of squares. The value is right, but the gradient of
sqrt at 0 is infinite: with a batch of one the centred columns are 0 and the gradient is NaN
(torch's norm defines that gradient as 0)."""

import torch


def _pearson(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a = a - a.mean(1, keepdim=True)
    b = b - b.mean(1, keepdim=True)
    denom = a.pow(2).sum(1).sqrt() * b.pow(2).sum(1).sqrt() + 1e-8
    return (a * b).sum(1) / denom


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if logits_student.shape != logits_teacher.shape or len(logits_student.shape) != 2:
        raise ValueError("logits must have the same (B, C) shape")
    teacher = logits_teacher.detach()
    y_s = torch.exp(torch.log_softmax(logits_student / tau, dim=1))
    y_t = torch.exp(torch.log_softmax(teacher / tau, dim=1))
    losses = []
    for weight, (a, b) in ((beta, (y_s, y_t)), (gamma, (y_s.T, y_t.T))):
        losses.append(weight * (1 - _pearson(a, b).mean()))
    return (tau**2) * (losses[0] + losses[1])
