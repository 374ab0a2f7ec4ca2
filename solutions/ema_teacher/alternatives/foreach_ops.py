"""Alternative: PyTorch's multi-tensor torch._foreach_mul_ / _foreach_add_ over all floating-point
entries at once (timm ModelEmaV3's fast path), with the student's counters copied first."""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """One fused multiply and one fused add for every floating-point tensor of the teacher."""
    if momentum < 0.0 or momentum > 1.0 or momentum != momentum:
        raise ValueError("momentum out of range")
    with torch.no_grad():
        pairs = list(zip(teacher.state_dict().values(), student.state_dict().values(), strict=True))
        # Tied weights appear once per name in a state_dict: keep each tensor once, or the
        # fused update would be applied to it twice.
        unique = {t.data_ptr(): (t, s) for t, s in pairs if t.numel()}
        pairs = list(unique.values())
        for t, s in pairs:
            if not t.is_floating_point():
                t.copy_(s)
        t_float = [t for t, _ in pairs if t.is_floating_point()]
        s_float = [s for t, s in pairs if t.is_floating_point()]
        torch._foreach_mul_(t_float, momentum)
        torch._foreach_add_(t_float, s_float, alpha=1.0 - momentum)
