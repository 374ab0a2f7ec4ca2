"""Alternative: probabilities as exp(log_softmax), torch.linalg.vector_norm for the norms, and a
loop over the two relations (the matrices as given, then transposed)."""

import torch


def _pearson(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a = a - a.mean(1, keepdim=True)
    b = b - b.mean(1, keepdim=True)
    denom = torch.linalg.vector_norm(a, dim=1) * torch.linalg.vector_norm(b, dim=1) + 1e-8
    return (a * b).sum(1) / denom


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if logits_student.shape != logits_teacher.shape or len(logits_student.shape) != 2:
        raise ValueError("logits must have the same (B, C) shape")
    teacher = logits_teacher.detach()
    y_s = torch.exp(torch.log_softmax(logits_student / tau, dim=1))
    y_t = torch.exp(torch.log_softmax(teacher / tau, dim=1))
    total = torch.zeros(())
    for weight, (a, b) in ((beta, (y_s, y_t)), (gamma, (y_s.T, y_t.T))):
        total = total + weight * (1 - _pearson(a, b).mean())
    return (tau**2) * total
