"""Mutant: multiplies the logits by T instead of dividing (sharpens where it should soften)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits * T) over the last dimension."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return torch.softmax(logits * temperature, dim=-1)
