"""Alternative: normalises the *columns* of G, which is correct because G = f f^T is symmetric
(column-normalised G is the transpose of row-normalised G, and the Frobenius norm ignores
transposes); the squared Frobenius norm from torch.linalg.matrix_norm."""

import torch
import torch.nn.functional as F


def sp_loss(f_s, f_t):
    b_s, b_t = f_s.size(0), f_t.size(0)
    if b_s != b_t:
        raise ValueError("f_s and f_t must hold the same examples")
    s = f_s.reshape(b_s, -1)
    t = f_t.detach().reshape(b_t, -1)
    g_s = F.normalize(s @ s.T, p=2, dim=0)
    g_t = F.normalize(t @ t.T, p=2, dim=0)
    return torch.linalg.matrix_norm(g_t - g_s, ord="fro") ** 2 / b_s**2
