"""Alternative: the correlations written as explicit sums with einsum and torch.linalg norms,
one helper taking the axis, float64 internally and cast back to float32."""

import torch


def _one_minus_mean_corr(a: torch.Tensor, b: torch.Tensor, dim: int) -> torch.Tensor:
    a = a - a.mean(dim=dim, keepdim=True)
    b = b - b.mean(dim=dim, keepdim=True)
    if dim == 1:
        cov = torch.einsum("bc,bc->b", a, b)
    else:
        cov = torch.einsum("bc,bc->c", a, b)
    na = torch.linalg.vector_norm(a, dim=dim)
    nb = torch.linalg.vector_norm(b, dim=dim)
    return 1.0 - (cov / (na * nb + 1e-8)).mean()


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if tuple(logits_student.shape) != tuple(logits_teacher.shape) or logits_student.dim() != 2:
        raise ValueError("expected matching (B, C) logits")
    p_s = torch.softmax(logits_student.double() / tau, dim=-1)
    p_t = torch.softmax(logits_teacher.detach().double() / tau, dim=-1)
    loss = beta * _one_minus_mean_corr(p_s, p_t, 1) + gamma * _one_minus_mean_corr(p_s, p_t, 0)
    return (tau**2 * loss).float()
