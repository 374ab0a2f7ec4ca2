"""Mutant: computes in float32 and casts back, so float64 logits lose their precision."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T) in float32 whatever the input, returned in the logits' dtype."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    z = logits.float() / temperature
    return torch.softmax(z, dim=-1).to(logits.dtype)
