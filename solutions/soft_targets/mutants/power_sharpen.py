"""Mutant: tempers the probabilities, softmax(z) ** (1 / T) renormalised, instead of the logits."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Equal to softmax(z / T) on paper, but softmax(z) has already underflowed to 0 for logits
    far below the maximum, and 0 ** (1 / T) stays 0 however large T is."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    p = torch.softmax(logits, dim=-1) ** (1.0 / temperature)
    return p / p.sum(dim=-1, keepdim=True)
