"""Mutant: normalises the features (rows of f) before the Gram matrix, i.e. compares cosine-similarity matrices, instead of normalising the rows of G."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    if f_s.shape[0] != f_t.shape[0]:
        raise ValueError("batch sizes differ")
    b = f_s.shape[0]
    s = F.normalize(f_s.reshape(b, -1), dim=1)
    t = F.normalize(f_t.detach().reshape(b, -1), dim=1)
    return (t @ t.t() - s @ s.t()).pow(2).sum() / (b * b)
