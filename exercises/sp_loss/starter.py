"""Exercise: sp_loss — similarity-preserving knowledge distillation (Tung & Mori, 2019).

The student reproduces the teacher's pairwise similarities between the examples of a batch,
not the teacher's features themselves.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sp_loss(f_s: torch.Tensor, f_t: torch.Tensor) -> torch.Tensor:
    """Similarity-preserving loss ||G_t - G_s||_F^2 / B^2.

    Args:
        f_s: student features, shape (B, ...) (for example (B, C_s, H_s, W_s) or (B, D_s)).
        f_t: teacher features, shape (B, ...); only B has to match f_s. A fixed target: no
            gradient may flow into it.

    Returns:
        A 0-dim tensor.

    Raises:
        ValueError: if f_s and f_t have different batch sizes.
    """
    # TODO: raise ValueError if the batch sizes differ.
    # TODO: flatten each side to (B, D) and build its (B, B) Gram matrix f f^T.
    # TODO: L2-normalise every row of each Gram matrix (all-zero rows must stay zero).
    # TODO: squared Frobenius norm of G_t - G_s, divided by B^2; no gradient to the teacher.
    raise NotImplementedError("sp_loss is not implemented yet")
