"""Mutant: NCKD over all the classes: the target class is never masked out."""

import torch
import torch.nn.functional as F


def dkd_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """Decoupled KD whose 'NCKD' is the full KL, target class included."""
    T = temperature
    batch, classes = logits_student.shape
    z_s = logits_student / T
    z_t = logits_teacher.detach() / T
    target = target.reshape(-1)
    gt_mask = F.one_hot(target, classes).bool()

    def log_parts(z):
        log_all = torch.logsumexp(z, dim=1)
        z_target = z.gather(1, target[:, None]).squeeze(1)
        z_other = z[~gt_mask].view(batch, classes - 1)
        log_other = torch.logsumexp(z_other, dim=1)
        log_b = torch.stack([z_target - log_all, log_other - log_all], dim=1)
        log_p_hat = z - log_all[:, None]  # the full distribution, target included
        return log_b, log_p_hat

    log_b_s, log_hat_s = log_parts(z_s)
    log_b_t, log_hat_t = log_parts(z_t)
    tckd = (log_b_t.exp() * (log_b_t - log_b_s)).sum() * (T * T) / batch
    nckd = (log_hat_t.exp() * (log_hat_t - log_hat_s)).sum() * (T * T) / batch
    return alpha * tckd + beta * nckd
