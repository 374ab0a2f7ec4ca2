"""Exercise: soft_targets — the teacher's softened probabilities.

Knowledge distillation starts here: instead of the one-hot label, the student learns from the
teacher's probabilities at a temperature T > 1, which makes the small probabilities of the wrong
classes (the "dark knowledge") large enough to matter.
"""

from __future__ import annotations

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """The softmax of `logits / temperature` over the last dimension.

    Args:
        logits: raw scores of shape (..., C): the classes are on the last dimension, with any
            number of leading dimensions (a single vector (C,), a batch (B, C), a sequence
            batch (B, L, C), ...).
        temperature: T > 0. T = 1 is the ordinary softmax, T > 1 flattens the distribution,
            T < 1 sharpens it.

    Returns:
        A tensor of the same shape and dtype as `logits`, non-negative, summing to 1 along the
        last dimension. It must stay finite for logits in the thousands.

    Raises:
        ValueError: if `temperature` is not positive.
    """
    # TODO: reject a temperature that is not positive (raise ValueError).
    # TODO: divide the logits (not the probabilities) by the temperature.
    # TODO: softmax over the last dimension, without overflowing for large logits.
    raise NotImplementedError("soft_targets is not implemented yet")
