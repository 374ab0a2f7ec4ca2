"""Mutant: the temperature is checked but never applied (plain softmax)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits) over the last dimension, whatever the temperature."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return torch.softmax(logits, dim=-1)
