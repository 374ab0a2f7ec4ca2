"""Alternative: log b as a 2-way log_softmax of [z_target, logsumexp(z_other)]; NCKD with the
target masked to -inf and its (NaN) term removed with torch.where."""

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
    """alpha * TCKD + beta * NCKD, computed from log-softmaxes only."""
    with torch.no_grad():
        teacher = logits_teacher / temperature
    student = logits_student / temperature
    gt = torch.zeros_like(student, dtype=torch.bool).scatter_(1, target.view(-1, 1), True)
    n = student.shape[0]

    def binary_log(z: torch.Tensor) -> torch.Tensor:
        # log p_target = z_t - lse(all) and lse(all) = logaddexp(z_t, lse(others)), so
        # [log p_target, log(1 - p_target)] is the log_softmax of the pair below.
        z_t = (z * gt).sum(dim=1)
        z_o = torch.logsumexp(z.masked_fill(gt, float("-inf")), dim=1)
        return F.log_softmax(torch.stack([z_t, z_o], dim=1), dim=1)

    def kl(
        log_p: torch.Tensor, log_q: torch.Tensor, keep: torch.Tensor | None = None
    ) -> torch.Tensor:
        terms = log_p.exp() * (log_p - log_q)
        if keep is not None:
            terms = torch.where(keep, terms, torch.zeros_like(terms))
        return terms.sum()

    tckd = kl(binary_log(teacher), binary_log(student))
    nckd = kl(
        F.log_softmax(teacher.masked_fill(gt, float("-inf")), dim=1),
        F.log_softmax(student.masked_fill(gt, float("-inf")), dim=1),
        keep=~gt,
    )
    scale = temperature**2 / n
    return alpha * tckd * scale + beta * nckd * scale
