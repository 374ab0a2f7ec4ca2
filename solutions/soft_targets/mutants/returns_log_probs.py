"""Mutant: returns log-probabilities (log_softmax) instead of probabilities."""

import torch
import torch.nn.functional as F


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """log_softmax(logits / T) over the last dimension."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return F.log_softmax(logits / temperature, dim=-1)
