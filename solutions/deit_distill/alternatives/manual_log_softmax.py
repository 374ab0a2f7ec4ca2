"""Alternative: both cross-entropies with log_softmax and gather, the soft KL written out as
sum(p_t * (log p_t - log p_s)) / (B * C); the teacher under torch.no_grad()."""

import torch


def _ce(logits, targets):
    return -torch.log_softmax(logits, dim=1).gather(1, targets[:, None]).mean()


def deit_distillation_loss(
    class_logits, dist_logits, teacher_logits, labels, distillation_type="hard", alpha=0.5, tau=1.0
):
    if distillation_type not in {"none", "soft", "hard"}:
        raise ValueError(f"unknown distillation type {distillation_type!r}")
    base = _ce(class_logits, labels)
    if distillation_type == "none":
        return base
    with torch.no_grad():
        log_p_t = torch.log_softmax(teacher_logits / tau, dim=1)
        hard_targets = teacher_logits.argmax(dim=1)
    if distillation_type == "hard":
        term = _ce(dist_logits, hard_targets)
    else:
        log_p_s = torch.log_softmax(dist_logits / tau, dim=1)
        kl_sum = (log_p_t.exp() * (log_p_t - log_p_s)).sum()
        B, C = dist_logits.shape
        term = kl_sum * tau**2 / (B * C)
    return (1 - alpha) * base + alpha * term
