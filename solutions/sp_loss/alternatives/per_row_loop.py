"""Alternative: one row of the similarity matrix at a time (the similarities of example i to
the whole batch), accumulating squared errors in a Python loop."""

import torch.nn.functional as F


def sp_loss(f_s, f_t):
    b = f_s.shape[0]
    if f_t.shape[0] != b:
        raise ValueError("student and teacher batches differ")
    s = f_s.reshape(b, -1)
    t = f_t.detach().reshape(b, -1)
    total = f_s.new_zeros(())
    for i in range(b):
        row_s = F.normalize(s @ s[i], dim=0)  # (B,): <f_j, f_i> for every j, unit norm
        row_t = F.normalize(t @ t[i], dim=0)
        total = total + ((row_t - row_s) ** 2).sum()
    return total / (b * b)
