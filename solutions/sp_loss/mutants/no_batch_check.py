"""Mutant: reshapes both sides with the student's batch size (mdistiller's view(bsz, -1)) and never checks the teacher's, so a mismatched batch can be silently regrouped."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    b = f_s.shape[0]
    s, t = f_s.reshape(b, -1), f_t.detach().reshape(b, -1)
    g_s, g_t = F.normalize(s @ s.t(), dim=1), F.normalize(t @ t.t(), dim=1)
    return (g_t - g_s).pow(2).sum() / (b * b)
