"""Reference solution for logit_standardization: KD on z-scored logits ("Logit Standardization in
Knowledge Distillation", Sun et al., CVPR 2024).

Same conventions as the authors' code (sunshangquan/logit-standardization-KD,
mdistiller/distillers/KD.py): each row of logits is standardised over the classes with
torch.std's default unbiased estimate and eps = 1e-7 added to the standard deviation, then the
classic KD term is computed on the standardised logits at the base temperature T (default 2):
KL(teacher || student) summed over the classes, averaged over the batch, times T^2.
"""

import torch
import torch.nn.functional as F


def standardize_logits(logits: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """Z-score over the last dimension: (x - mean) / (eps + std), std unbiased (n - 1)."""
    mean = logits.mean(dim=-1, keepdim=True)
    std = logits.std(dim=-1, keepdim=True)  # unbiased, as the authors' normalize()
    return (logits - mean) / (eps + std)


def standardized_kd_loss(
    logits_student: torch.Tensor, logits_teacher: torch.Tensor, temperature: float = 2.0
) -> torch.Tensor:
    """T^2 * KL(softmax(Z(teacher) / T) || softmax(Z(student) / T)), batchmean; a 0-dim tensor."""
    T = temperature
    z_s = standardize_logits(logits_student)
    z_t = standardize_logits(logits_teacher.detach())  # the teacher is a fixed target
    log_p_s = F.log_softmax(z_s / T, dim=1)
    log_p_t = F.log_softmax(z_t / T, dim=1)
    kl = F.kl_div(log_p_s, log_p_t, reduction="none", log_target=True).sum(dim=1).mean()
    return kl * T * T
