"""Alternative: plain Python loops over the models; the vote tallies each sample with a
weighted torch.bincount."""

import torch
import torch.nn.functional as F


def _weights(logits_list, weights):
    if len(logits_list) == 0:
        raise ValueError("need at least one model")
    first = tuple(logits_list[0].shape)
    if any(tuple(z.shape) != first for z in logits_list):
        raise ValueError("every model's logits must have the same (B, C) shape")
    if weights is None:
        weights = [1.0] * len(logits_list)
    weights = [float(x) for x in weights]
    if len(weights) != len(logits_list):
        raise ValueError("need exactly one weight per model")
    if min(weights) < 0:
        raise ValueError("weights cannot be negative")
    total = sum(weights)
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return [x / total for x in weights]


def fuse_average(logits_list, weights=None, temperature=1.0):
    ws = _weights(logits_list, weights)
    fused = torch.zeros_like(logits_list[0])
    for w, z in zip(ws, logits_list, strict=True):
        fused += w * F.softmax(z / temperature, dim=1)
    return fused


def fuse_vote(logits_list, weights=None):
    ws = torch.tensor(_weights(logits_list, weights), dtype=torch.float64)
    B, C = logits_list[0].shape
    preds = torch.stack([z.argmax(dim=1) for z in logits_list], dim=1)  # (B, M)
    winners = torch.empty(B, dtype=torch.long)
    for b in range(B):
        tally = torch.bincount(preds[b], weights=ws, minlength=C)  # (C,)
        winners[b] = int(tally.argmax())  # first maximum: lowest class on a tie
    return winners
