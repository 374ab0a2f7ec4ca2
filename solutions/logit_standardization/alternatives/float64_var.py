"""Alternative: torch.var(correction=1).sqrt() in float64, the KL as cross-entropy minus the
teacher's entropy, cast back to float32."""

import torch


def standardize_logits(logits, eps=1e-7):
    x = logits.double()
    z = (x - x.mean(-1, keepdim=True)) / (x.var(-1, correction=1, keepdim=True).sqrt() + eps)
    return z.to(logits.dtype)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    z_s = standardize_logits(logits_student).double() / T
    z_t = standardize_logits(logits_teacher.detach()).double() / T
    p_t = torch.softmax(z_t, dim=1)
    cross = -(p_t * torch.log_softmax(z_s, dim=1)).sum(1)
    entropy = -(torch.special.xlogy(p_t, p_t)).sum(1)
    return ((cross - entropy).mean() * T * T).float()
