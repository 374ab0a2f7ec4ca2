"""Mutant: subtracts each row's maximum from the caller's logits in place."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """The stable softmax written by hand, shifting the input tensor itself."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    logits -= logits.max(dim=-1, keepdim=True).values
    e = torch.exp(logits / temperature)
    return e / e.sum(dim=-1, keepdim=True)
