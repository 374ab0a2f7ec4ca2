"""Mutant: divides the caller's logits by T in place (logits /= T)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T), but the division overwrites the caller's tensor."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    logits /= temperature
    return torch.softmax(logits, dim=-1)
