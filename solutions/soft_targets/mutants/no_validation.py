"""Mutant: never checks the temperature (T = 0 gives NaN, T < 0 reverses the ranking)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T) with no check on T."""
    return torch.softmax(logits / temperature, dim=-1)
