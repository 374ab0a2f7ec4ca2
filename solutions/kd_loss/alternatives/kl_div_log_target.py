"""Alternative: F.kl_div with log_target=True and nn.functional.nll_loss for the hard term."""

import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = float(temperature)
    log_p_s = F.log_softmax(student_logits / T, dim=-1)
    log_p_t = F.log_softmax(teacher_logits.detach() / T, dim=-1)
    soft = F.kl_div(log_p_s, log_p_t, reduction="batchmean", log_target=True)
    hard = F.nll_loss(F.log_softmax(student_logits, dim=-1), labels)
    return soft.mul(alpha * T * T).add(hard, alpha=1 - alpha)
