"""Alternative: mean and unbiased variance written out, KL as a sum of log-probability
differences; the teacher under torch.no_grad()."""

import torch


def standardize_logits(logits, eps=1e-7):
    n = logits.shape[-1]
    centred = logits - logits.sum(dim=-1, keepdim=True) / n
    std = torch.sqrt((centred * centred).sum(dim=-1, keepdim=True) / (n - 1))
    return centred / (std + eps)


def standardized_kd_loss(logits_student, logits_teacher, temperature=2.0):
    T = temperature
    log_p_s = torch.log_softmax(standardize_logits(logits_student) / T, dim=-1)
    with torch.no_grad():
        log_p_t = torch.log_softmax(standardize_logits(logits_teacher) / T, dim=-1)
    kl_rows = (log_p_t.exp() * (log_p_t - log_p_s)).sum(dim=-1)
    return T**2 * kl_rows.mean()
