"""Mutant: the raw Gram matrices are compared, without normalising their rows."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s, t = f_s.reshape(b, -1), f_t.detach().reshape(b, -1)
    return (t @ t.t() - s @ s.t()).pow(2).sum() / (b * b)
