"""Alternative: mdistiller's structure (masks, "- 1000 * gt_mask", F.kl_div with reduction="sum"),
but with log-probabilities on both sides (log_target=True) and logsumexp for the binary parts."""

import torch
import torch.nn.functional as F


def _gt_mask(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return torch.zeros_like(logits).scatter_(1, target.reshape(-1, 1), 1).bool()


def _log_binary(log_p: torch.Tensor, gt_mask: torch.Tensor) -> torch.Tensor:
    """[log p_target, log sum_{i != target} p_i] from log-probabilities, (B, 2)."""
    log_target = torch.logsumexp(log_p.masked_fill(~gt_mask, float("-inf")), dim=1, keepdim=True)
    log_other = torch.logsumexp(log_p.masked_fill(gt_mask, float("-inf")), dim=1, keepdim=True)
    return torch.cat([log_target, log_other], dim=1)


def dkd_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """Decoupled KD, mdistiller-style, in log space."""
    logits_teacher = logits_teacher.detach()
    gt_mask = _gt_mask(logits_student, target)
    batch_size = target.shape[0]
    t2 = temperature**2

    log_ps = F.log_softmax(logits_student / temperature, dim=1)
    log_pt = F.log_softmax(logits_teacher / temperature, dim=1)
    tckd_loss = (
        F.kl_div(
            _log_binary(log_ps, gt_mask),
            _log_binary(log_pt, gt_mask),
            reduction="sum",
            log_target=True,
        )
        * t2
        / batch_size
    )

    # As in mdistiller: push the target logit 1000 (scaled) units down before the softmax.
    log_ps2 = F.log_softmax(logits_student / temperature - 1000.0 * gt_mask, dim=1)
    log_pt2 = F.log_softmax(logits_teacher / temperature - 1000.0 * gt_mask, dim=1)
    nckd_loss = F.kl_div(log_ps2, log_pt2, reduction="sum", log_target=True) * t2 / batch_size
    return alpha * tckd_loss + beta * nckd_loss
