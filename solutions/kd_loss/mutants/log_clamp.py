"""Mutant: torch.log(p_s.clamp(min=1e-12)): finite for large logits, but the wrong value there."""

import torch
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    p_s = F.softmax(student_logits / T, dim=-1)
    p_t = F.softmax(teacher_logits.detach() / T, dim=-1)
    log_p_s = torch.log(p_s.clamp(min=1e-12))
    soft = F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard
