"""Reference solution for attention_transfer: the attention-transfer loss (Zagoruyko & Komodakis).

Follows the authors' code (szagoruyko/attention-transfer, utils.py) and mdistiller's AT.py:
channel mean of the powered activations, flattened, L2-normalised per sample with F.normalize,
mean of the squared difference; features of different spatial size are matched by
adaptive-average-pooling the larger *feature* (before the map is computed), as mdistiller does.
Where they differ from the paper, the paper's |f|^p is used (identical for even p).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def attention_map(f: torch.Tensor, p: float = 2) -> torch.Tensor:
    """(B, C, H, W) features -> (B, H*W) unit-norm attention vectors."""
    # |f|^p keeps the sign of the activations out of the map (for even p, |f|^p = f^p).
    am = f.abs().pow(p).mean(dim=1)  # (B, H, W): channel mean, so C may differ between networks
    # Flatten first: F.normalize works along dim=1, which must hold all H*W positions.
    return F.normalize(am.flatten(1), p=2, dim=1)  # eps=1e-12: an all-zero map stays 0, not NaN


def at_loss(f_s: torch.Tensor, f_t: torch.Tensor, p: float = 2) -> torch.Tensor:
    """Mean squared difference of the normalised attention maps of student and teacher."""
    f_t = f_t.detach()  # the teacher is a fixed target
    (hs, ws), (ht, wt) = f_s.shape[2:], f_t.shape[2:]
    if (hs, ws) != (ht, wt):
        # Pool the larger *feature map* down to the smaller one's size (as mdistiller does,
        # which pools to (H, H) and so assumes square maps).
        if hs * ws > ht * wt:
            f_s = F.adaptive_avg_pool2d(f_s, (ht, wt))
        else:
            f_t = F.adaptive_avg_pool2d(f_t, (hs, ws))
    diff = attention_map(f_s, p) - attention_map(f_t, p)
    return diff.pow(2).mean()  # mean over the B * H * W entries
