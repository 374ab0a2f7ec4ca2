"""Alternative: go through log space with logsumexp, then exponentiate."""

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """exp(z / T - logsumexp(z / T)) over the last dimension."""
    if temperature <= 0 or temperature != temperature:  # the second test catches NaN
        raise ValueError("soft_targets: the temperature must be a positive number")
    z = logits.div(temperature)
    log_probs = z - torch.logsumexp(z, dim=-1, keepdim=True)
    return log_probs.exp()
