"""Mutant: squeezes size-1 dimensions before comparing, so (B, C, 1, 1) vs (B, C) and a missing batch of 1 pass."""

import torch.nn.functional as F


def hint_loss(student_feat, teacher_feat, regressor):
    # drop singleton dimensions so that e.g. (B, C, 1, 1) and (B, C) features compare cleanly
    prediction = regressor(student_feat).squeeze()
    hint = teacher_feat.detach().squeeze()
    if prediction.shape != hint.shape:
        raise ValueError(f"{tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint)
