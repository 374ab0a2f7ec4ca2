"""Reference solution for soft_targets: the temperature softmax of Hinton et al. (2015)."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T) over the last dimension (the classes)."""
    # `not T > 0` also rejects NaN. T = 0 would divide by zero; a negative T would reverse the
    # ranking of the classes: neither is a temperature.
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    # torch.softmax subtracts each row's maximum before exponentiating, so logits of any size
    # give finite probabilities. dim=-1 works for (C,), (B, C), (B, L, C), ...
    return torch.softmax(logits / temperature, dim=-1)
