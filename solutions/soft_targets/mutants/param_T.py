"""Mutant: names the parameter T, so a call with temperature=... raises TypeError."""

import torch


def soft_targets(logits: torch.Tensor, T: float) -> torch.Tensor:
    """softmax(logits / T), with the temperature under another name than the statement's."""
    if not T > 0:
        raise ValueError(f"temperature must be positive, got {T}")
    return torch.softmax(logits / T, dim=-1)
