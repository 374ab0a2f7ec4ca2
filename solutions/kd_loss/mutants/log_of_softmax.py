"""Mutant: uses torch.log(softmax(...)), which underflows to log(0) = -inf for large logits."""

import torch
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    log_p_s = torch.log(F.softmax(student_logits / T, dim=-1))
    p_t = F.softmax(teacher_logits.detach() / T, dim=-1)
    soft = F.kl_div(log_p_s, p_t, reduction="batchmean") * T * T
    probs = F.softmax(student_logits, dim=-1)
    hard = -torch.log(probs.gather(1, labels[:, None])).mean()
    return alpha * soft + (1 - alpha) * hard
