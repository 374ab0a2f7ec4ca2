"""Mutant: NCKD on the softmax with the target zeroed out but not renormalised (sums to 1 - p_t).

This "NCKD" equals (1 - p_t^T) * [NCKD + log((1 - p_t^T) / (1 - p_t^S))]: the weight that DKD
removes is back.
"""

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
    """Decoupled KD whose non-target distributions are not renormalised."""
    T = temperature
    batch, classes = logits_student.shape
    z_s = logits_student / T
    z_t = logits_teacher.detach() / T
    target = target.reshape(-1)
    gt_mask = F.one_hot(target, classes).bool()

    def log_b(z):
        log_all = torch.logsumexp(z, dim=1)
        z_target = z.gather(1, target[:, None]).squeeze(1)
        log_other = torch.logsumexp(z.masked_fill(gt_mask, float("-inf")), dim=1)
        return torch.stack([z_target - log_all, log_other - log_all], dim=1)

    log_b_s, log_b_t = log_b(z_s), log_b(z_t)
    tckd = (log_b_t.exp() * (log_b_t - log_b_s)).sum() * (T * T) / batch

    # Non-target probabilities straight from the full softmax: p_i for i != t.
    log_p_s = F.log_softmax(z_s, dim=1)[~gt_mask].view(batch, classes - 1)
    log_p_t = F.log_softmax(z_t, dim=1)[~gt_mask].view(batch, classes - 1)
    nckd = (log_p_t.exp() * (log_p_t - log_p_s)).sum() * (T * T) / batch
    return alpha * tckd + beta * nckd
