"""Reference solution for deit_distill: DeiT's distillation objective (Touvron et al., ICML 2021).

Same conventions as the authors' `DistillationLoss` (facebookresearch/deit, losses.py): the base
criterion on the class token, the distillation term on the distillation token, combined as
base * (1 - alpha) + distillation * alpha; 'soft' is the KL from the teacher to the student at
temperature tau with log_target=True, reduction 'sum', times tau^2 and divided by the number of
elements of the distillation logits (B * C, their "legacy PyTorch behaviour"); 'hard' is the
cross-entropy of the distillation token against the teacher's argmax; 'none' is the base
criterion alone. Here the base criterion is plain cross-entropy and the teacher's logits are
passed in (DeiT runs the teacher itself, under no_grad).
"""

import torch
import torch.nn.functional as F

TYPES = ("none", "soft", "hard")


def deit_distillation_loss(
    class_logits: torch.Tensor,
    dist_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    distillation_type: str = "hard",
    alpha: float = 0.5,
    tau: float = 1.0,
) -> torch.Tensor:
    """DeiT's loss: CE(class token, labels) mixed with the distillation token's term."""
    if distillation_type not in TYPES:
        raise ValueError(f"distillation_type must be one of {TYPES}, not {distillation_type!r}")
    base_loss = F.cross_entropy(class_logits, labels)
    if distillation_type == "none":
        return base_loss
    teacher = teacher_logits.detach()  # DeiT computes it under torch.no_grad()
    if distillation_type == "soft":
        T = tau
        distillation = (
            F.kl_div(
                F.log_softmax(dist_logits / T, dim=1),
                F.log_softmax(teacher / T, dim=1),
                reduction="sum",
                log_target=True,
            )
            * (T * T)
            / dist_logits.numel()
        )
    else:
        distillation = F.cross_entropy(dist_logits, teacher.argmax(dim=1))
    return base_loss * (1 - alpha) + distillation * alpha
