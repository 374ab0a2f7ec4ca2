"""Alternative: torch.std_mean with correction=1, nn.KLDivLoss(reduction="batchmean") on
probabilities."""

import torch
from torch import nn


def standardize_logits(logits, eps=1e-7):
    std, mean = torch.std_mean(logits, dim=-1, correction=1, keepdim=True)
    return (logits - mean) / (std + eps)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    teacher = standardize_logits(logits_teacher.detach())
    student = standardize_logits(logits_student)
    kl = nn.KLDivLoss(reduction="batchmean")
    return kl(torch.log_softmax(student / T, dim=1), torch.softmax(teacher / T, dim=1)) * T**2
