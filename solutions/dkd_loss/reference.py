"""Reference solution for dkd_loss: Decoupled KD (Zhao et al., CVPR 2022).

Same conventions as the authors' `dkd_loss` (megvii-research/mdistiller,
mdistiller/distillers/DKD.py): alpha * TCKD + beta * NCKD, both KL(teacher || student) at
temperature T, both summed over the batch, multiplied by T^2 and divided by the batch size.
Unlike the authors' code, everything is computed in log space, so the value and the gradient stay
finite when the softmax saturates.
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
    """alpha * TCKD + beta * NCKD, each KL(teacher || student) * T^2 / batch size."""
    T = temperature
    batch, classes = logits_student.shape
    # The teacher is a fixed target.
    z_s = logits_student / T
    z_t = logits_teacher.detach() / T
    target = target.reshape(-1)
    gt_mask = F.one_hot(target, classes).bool()

    def log_parts(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """log b = log [p_target, 1 - p_target] (B, 2), and log p_hat over the non-target classes
        (B, C - 1), all from logsumexps of finite numbers: no log of an underflowed probability."""
        log_all = torch.logsumexp(z, dim=1)
        z_target = z.gather(1, target[:, None]).squeeze(1)
        # The non-target logits, in their order (the target column dropped): the exact version of
        # mdistiller's "subtract 1000 from the target logit".
        z_other = z[~gt_mask].view(batch, classes - 1)
        log_other = torch.logsumexp(z_other, dim=1)
        log_b = torch.stack([z_target - log_all, log_other - log_all], dim=1)
        log_p_hat = z_other - log_other[:, None]
        return log_b, log_p_hat

    log_b_s, log_hat_s = log_parts(z_s)
    log_b_t, log_hat_t = log_parts(z_t)

    # KL(teacher || student) = sum p_t * (log p_t - log p_s), summed over classes and batch.
    tckd = (log_b_t.exp() * (log_b_t - log_b_s)).sum() * (T * T) / batch
    nckd = (log_hat_t.exp() * (log_hat_t - log_hat_s)).sum() * (T * T) / batch
    return alpha * tckd + beta * nckd
