"""Alternative: the nn.Module losses (nn.KLDivLoss, nn.CrossEntropyLoss) and torch.lerp."""

import torch
from torch import nn

_kl = nn.KLDivLoss(reduction="batchmean")
_ce = nn.CrossEntropyLoss()


def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    soft = _kl(
        torch.log_softmax(student_logits / T, dim=-1),
        torch.softmax(teacher_logits / T, dim=-1).detach(),
    ) * (T * T)
    hard = _ce(student_logits, labels)
    # lerp(hard, soft, alpha) = hard + alpha * (soft - hard)
    return torch.lerp(hard, soft, alpha)
