"""Mutant: standardises with the population standard deviation (unbiased=False), the paper's formula, not the authors' torch.std default."""

import torch
import torch.nn.functional as F


def standardize_logits(logits, eps=1e-7):
    mean = logits.mean(dim=-1, keepdim=True)
    std = logits.std(dim=-1, keepdim=True, unbiased=False)
    return (logits - mean) / (eps + std)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    log_p_s = F.log_softmax(standardize_logits(logits_student) / T, dim=1)
    p_t = F.softmax(standardize_logits(logits_teacher.detach()) / T, dim=1)
    return F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
