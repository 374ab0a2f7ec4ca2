"""Alternative: the hard target as a one-hot distribution of the teacher's argmax fed to
F.cross_entropy with probability targets, and the soft term as a mean over every element."""

import torch
import torch.nn.functional as F


def deit_distillation_loss(
    class_logits, dist_logits, teacher_logits, labels, distillation_type="hard", alpha=0.5, tau=1.0
):
    if distillation_type == "none":
        return F.cross_entropy(class_logits, labels)
    if distillation_type not in ("soft", "hard"):
        raise ValueError("distillation_type must be 'none', 'soft' or 'hard'")
    teacher = teacher_logits.detach()
    base = F.cross_entropy(class_logits, labels)
    if distillation_type == "hard":
        one_hot = F.one_hot(teacher.argmax(dim=1), teacher.shape[1]).to(dist_logits.dtype)
        term = F.cross_entropy(dist_logits, one_hot)
    else:
        log_p_s = F.log_softmax(dist_logits / tau, dim=1)
        log_p_t = F.log_softmax(teacher / tau, dim=1)
        term = (torch.exp(log_p_t) * (log_p_t - log_p_s)).mean() * tau * tau
    return base * (1 - alpha) + term * alpha
