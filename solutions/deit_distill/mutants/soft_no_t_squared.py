"""Mutant: forgets the tau^2 factor of the soft term."""

import torch
import torch.nn.functional as F


def deit_distillation_loss(
    class_logits, dist_logits, teacher_logits, labels, distillation_type="hard", alpha=0.5, tau=1.0
):
    if distillation_type not in ("none", "soft", "hard"):
        raise ValueError(distillation_type)
    base_loss = F.cross_entropy(class_logits, labels)
    if distillation_type == "none":
        return base_loss
    teacher = teacher_logits.detach()
    T = tau
    if distillation_type == "soft":
        distillation = F.kl_div(F.log_softmax(dist_logits / T, dim=1), F.log_softmax(teacher / T, dim=1), reduction="sum", log_target=True) / dist_logits.numel()
    else:
        distillation = F.cross_entropy(dist_logits, teacher.argmax(dim=1))
    return base_loss * (1 - alpha) + distillation * alpha
