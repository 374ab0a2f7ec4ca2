"""Mutant: atleast_2d then squeeze(0), so a (1, C) batch comes back as (C,)."""

import torch

def soft_targets(logits, temperature):
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    # work on at least a (B, C) batch, then drop the batch dim we may have added
    z = torch.atleast_2d(logits)
    p = torch.softmax(z / temperature, dim=-1)
    return p.squeeze(0)
