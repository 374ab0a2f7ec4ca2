"""Alternative: the softmax written out, with the maximum subtracted by hand."""

import math

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """exp(z / T - max) / sum(exp(z / T - max)) over the last dimension."""
    if math.isnan(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be > 0 (got {temperature})")
    scaled = logits / temperature
    # Subtracting a per-row constant leaves the softmax unchanged and makes the largest
    # exponent exp(0) = 1, so nothing can overflow.
    shifted = scaled - scaled.amax(dim=-1, keepdim=True)
    weights = shifted.exp()
    return weights / weights.sum(dim=-1, keepdim=True)
