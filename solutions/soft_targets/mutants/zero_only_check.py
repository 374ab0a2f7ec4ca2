"""Mutant: rejects T == 0 only, so a negative temperature is accepted."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T), guarding only against division by zero."""
    if temperature == 0:
        raise ValueError("temperature must not be zero")
    return torch.softmax(logits / temperature, dim=-1)
