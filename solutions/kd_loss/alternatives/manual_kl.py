"""Alternative: KL and cross-entropy written out by hand with log_softmax sums,
the teacher under torch.no_grad() instead of detach()."""

import torch


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    with torch.no_grad():
        log_p_t = torch.log_softmax(teacher_logits / T, dim=1)
        p_t = log_p_t.exp()
    log_p_s = torch.log_softmax(student_logits / T, dim=1)
    # KL(p_t || p_s) per sample, then the batch mean.
    kl = (p_t * (log_p_t - log_p_s)).sum(dim=1).mean()
    # Cross-entropy: minus the log-probability of the right class, averaged.
    log_probs = torch.log_softmax(student_logits, dim=1)
    ce = -log_probs.gather(1, labels.unsqueeze(1)).squeeze(1).mean()
    return alpha * T**2 * kl + (1 - alpha) * ce
