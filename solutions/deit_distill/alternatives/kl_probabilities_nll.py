"""Alternative: F.kl_div on the teacher's probabilities (log_target=False) with reduction 'mean'
(which divides by B * C, the same as DeiT's sum / numel), F.nll_loss for both cross-entropies."""

import torch
import torch.nn.functional as F


def deit_distillation_loss(
    class_logits, dist_logits, teacher_logits, labels, distillation_type="hard", alpha=0.5, tau=1.0
):
    modes = ("none", "soft", "hard")
    if distillation_type not in modes:
        raise ValueError(f"distillation_type must be one of {modes}")
    base = F.nll_loss(F.log_softmax(class_logits, dim=-1), labels)
    if distillation_type == "none":
        return base
    teacher = teacher_logits.detach()
    if distillation_type == "soft":
        p_t = F.softmax(teacher / tau, dim=-1)
        kd = F.kl_div(F.log_softmax(dist_logits / tau, dim=-1), p_t, reduction="mean") * tau**2
    else:
        kd = F.nll_loss(F.log_softmax(dist_logits, dim=-1), teacher.argmax(dim=-1))
    return torch.lerp(base, kd, alpha)
