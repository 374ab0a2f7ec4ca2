"""Mutant: flattens both sides only when the student is 4-D, so a 2-D student with a 4-D teacher crashes."""

import torch
import torch.nn.functional as F

def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    f_t = f_t.detach()
    if f_s.dim() == 4:          # conv feature maps: flatten C, H, W
        f_s, f_t = f_s.flatten(1), f_t.flatten(1)
    g_s = F.normalize(f_s @ f_s.t(), dim=1)
    g_t = F.normalize(f_t @ f_t.t(), dim=1)
    return (g_t - g_s).pow(2).sum() / (b * b)
