"""Exercise: rkd_loss — relational knowledge distillation (Park et al., CVPR 2019).

The student does not copy the teacher's embeddings; it copies their geometry: the distances
between pairs of examples and the angles within triplets of examples of the batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def rkd_loss(
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    distance_weight: float = 25.0,
    angle_weight: float = 50.0,
) -> torch.Tensor:
    """RKD loss: distance_weight * distance loss + angle_weight * angle loss.

    Args:
        f_s: student features, shape (B, ...); flattened per sample to (B, D_s).
        f_t: teacher features, shape (B, ...); flattened to (B, D_t). D_t may differ from D_s.
            A fixed target: no gradient may flow into it.
        distance_weight: weight of the distance-wise term.
        angle_weight: weight of the angle-wise term.

    Returns:
        A 0-dim tensor.

    Raises:
        ValueError: if the batch has fewer than 2 examples.
    """
    # TODO: raise ValueError for a batch of fewer than 2 examples.
    # TODO: flatten both to (B, D); the teacher's side without autograd.
    # TODO: distance potential: (B, B) Euclidean distances (zero diagonal), divided by the mean
    #       of the B(B-1) off-diagonal entries. Student vs teacher: F.smooth_l1_loss (mean over B*B).
    # TODO: angle potential: for every (i, j, k), the cosine between the unit vectors e_j - e_i
    #       and e_k - e_i (0 when a vector is zero) -> (B, B, B). F.smooth_l1_loss (mean over B^3).
    # TODO: return distance_weight * distance loss + angle_weight * angle loss.
    raise NotImplementedError("rkd_loss is not implemented yet")
