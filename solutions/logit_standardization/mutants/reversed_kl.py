"""Mutant: computes KL(student || teacher) instead of KL(teacher || student)."""

import torch
import torch.nn.functional as F


def standardize_logits(logits, eps=1e-7):
    mean = logits.mean(dim=-1, keepdim=True)
    std = logits.std(dim=-1, keepdim=True)
    return (logits - mean) / (eps + std)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    log_p_t = F.log_softmax(standardize_logits(logits_teacher.detach()) / T, dim=1)
    p_s = F.softmax(standardize_logits(logits_student) / T, dim=1)
    return F.kl_div(log_p_t, p_s, reduction="batchmean") * T * T
