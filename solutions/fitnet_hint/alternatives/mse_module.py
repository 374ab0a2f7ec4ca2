"""Alternative: a module-level nn.MSELoss(), as in RepDistiller's HintLoss; shapes compared with
Tensor.size()."""

import torch
from torch import nn

_criterion = nn.MSELoss()


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """nn.MSELoss()(regressor(student_feat), teacher_feat.detach())."""
    f_s = regressor(student_feat)
    f_t = teacher_feat.detach()
    if f_s.size() != f_t.size():
        raise ValueError(f"cannot compare {tuple(f_s.size())} with the hint's {tuple(f_t.size())}")
    return _criterion(f_s, f_t)
