"""Mutant: exp(z / T) / sum(exp(z / T)) without subtracting the maximum (overflows)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """The textbook formula, computed literally."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    e = torch.exp(logits / temperature)
    return e / e.sum(dim=-1, keepdim=True)
