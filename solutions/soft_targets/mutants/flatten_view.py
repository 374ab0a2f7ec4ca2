"""Mutant: flattens the leading dimensions with .view(), which fails on non-contiguous logits."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """A row-wise softmax on a (rows, C) view of the logits."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    classes = logits.shape[-1]
    rows = logits.view(-1, classes) / temperature
    rows = rows - rows.max(dim=1, keepdim=True).values
    e = rows.exp()
    return (e / e.sum(dim=1, keepdim=True)).view(logits.shape)
