"""Mutant: checks only the element counts and turns RuntimeError into ValueError, so broadcastable mismatches pass."""

import torch.nn.functional as F


def hint_loss(student_feat, teacher_feat, regressor):
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.numel() != hint.numel():
        raise ValueError("regressor(student_feat) and teacher_feat have different sizes")
    try:
        return F.mse_loss(prediction, hint)
    except RuntimeError as err:
        raise ValueError(str(err)) from err
