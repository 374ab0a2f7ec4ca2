"""Mutant: uses the soft cross-entropy -sum p_t log p_s instead of the KL divergence (off by the teacher's entropy)."""

import torch
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    log_p_s = F.log_softmax(student_logits / T, dim=-1)
    p_t = F.softmax(teacher_logits.detach() / T, dim=-1)
    soft = -(p_t * log_p_s).sum(dim=-1).mean() * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard
