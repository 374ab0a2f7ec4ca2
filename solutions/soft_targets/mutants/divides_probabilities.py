"""Mutant: applies T to the probabilities instead of the logits (softmax(z) / T)."""

import torch
import torch.nn.functional as F


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits) / T: no softer, and no longer summing to 1."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return F.softmax(logits, dim=-1) / temperature
