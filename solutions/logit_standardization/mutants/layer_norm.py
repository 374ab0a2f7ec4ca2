"""Mutant: uses F.layer_norm without affine parameters: population variance and eps = 1e-5 inside the square root."""

import torch
import torch.nn.functional as F


def standardize_logits(logits, eps=1e-7):
    return F.layer_norm(logits, logits.shape[-1:])


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    log_p_s = F.log_softmax(standardize_logits(logits_student) / T, dim=1)
    p_t = F.softmax(standardize_logits(logits_teacher.detach()) / T, dim=1)
    return F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
