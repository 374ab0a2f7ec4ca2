"""Mutant: puts eps inside the square root, (x - mean) / sqrt(var + eps), as batch and layer norm do."""

import torch
import torch.nn.functional as F


def standardize_logits(logits, eps=1e-7):
    mean = logits.mean(dim=-1, keepdim=True)
    var = logits.var(dim=-1, keepdim=True)
    return (logits - mean) / torch.sqrt(var + eps)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    log_p_s = F.log_softmax(standardize_logits(logits_student) / T, dim=1)
    p_t = F.softmax(standardize_logits(logits_teacher.detach()) / T, dim=1)
    return F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
