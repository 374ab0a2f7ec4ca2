"""Exercise: ema_teacher — the momentum (EMA) teacher of Mean Teacher and DINO.

After every optimisation step of the student, the teacher moves a little towards it:

    teacher ← momentum · teacher + (1 − momentum) · student

Write `ema_update`, which does this in place on the teacher, without autograd, following the
convention of timm's ModelEmaV3 (default settings): every floating-point entry of the state_dict
(parameters and BatchNorm running statistics) is averaged, every integer entry (BatchNorm's
num_batches_tracked) is copied from the student.
"""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """Move `teacher` towards `student`: teacher ← momentum · teacher + (1 − momentum) · student.

    Args:
        teacher: the EMA model; updated in place (its own tensors change, no new ones are bound).
        student: the model being trained, same architecture; it must not change.
        momentum: in [0, 1]; 1 keeps the teacher's weights, 0 copies the student.

    Returns:
        None.

    Raises:
        ValueError: if momentum is outside [0, 1].
    """
    # TODO: reject a momentum outside [0, 1] with ValueError, before touching anything.
    # TODO: turn autograd off for the whole update.
    # TODO: walk through the teacher's and the student's state_dict entries, matched by name.
    #   TODO: floating-point entry (weights, biases, running_mean, running_var):
    #         average it IN PLACE on the teacher's tensor (mul_/add_ or lerp_).
    #   TODO: integer entry (num_batches_tracked): copy the student's value.
    raise NotImplementedError("ema_update is not implemented yet")
