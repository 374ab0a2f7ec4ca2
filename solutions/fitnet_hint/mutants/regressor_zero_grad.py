"""Mutant: calls regressor.zero_grad() inside the loss, wiping the gradients the caller accumulated."""

import torch.nn.functional as F


def hint_loss(student_feat, teacher_feat, regressor):
    regressor.zero_grad()  # start the regressor from clean gradients
    prediction = regressor(student_feat)
    hint = teacher_feat.detach()
    if prediction.shape != hint.shape:
        raise ValueError(f"{tuple(prediction.shape)} vs {tuple(hint.shape)}")
    return F.mse_loss(prediction, hint)
