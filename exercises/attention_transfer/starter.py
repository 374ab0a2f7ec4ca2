"""Exercise: attention_transfer — the attention-transfer loss (Zagoruyko & Komodakis, 2017).

Collapse each feature map over its channels into a spatial attention map, normalise it, and
compare student and teacher maps.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def at_loss(f_s: torch.Tensor, f_t: torch.Tensor, p: float = 2) -> torch.Tensor:
    """Attention-transfer loss between student and teacher features.

    Args:
        f_s: student features, shape (B, C_s, H_s, W_s); may be negative.
        f_t: teacher features, shape (B, C_t, H_t, W_t); C_t may differ from C_s. A fixed target:
            no gradient may flow into it.
        p: the power of the attention map (the map is the channel mean of |f|^p).

    Returns:
        A 0-dim tensor: the mean over all B * H * W entries of (Q_s - Q_t)^2, where Q is the
        attention map flattened to (B, H * W) and L2-normalised per sample.
    """
    # TODO: make sure no gradient can reach the teacher.
    # TODO: if the spatial sizes differ, adaptive-average-pool the larger *features* to the
    #       smaller one's (H, W) (F.adaptive_avg_pool2d), before computing any map.
    # TODO: attention map of each side: channel mean of |f|^p -> (B, H, W).
    # TODO: flatten to (B, H * W), then L2-normalise each row (mind all-zero maps).
    # TODO: return the mean of the squared differences.
    raise NotImplementedError("at_loss is not implemented yet")
