"""Mutant: 'if not weights:' takes weights=[] for None and uses equal weights (red team; [] must
raise ValueError)."""

import torch

def _check(logits_list, weights):
    if not logits_list:
        raise ValueError("logits_list must not be empty")
    shape = logits_list[0].shape
    if any(z.shape != shape for z in logits_list):
        raise ValueError("all logits must have the same shape")
    M = len(logits_list)
    if not weights:                       # no weights given: equal weights
        weights = [1.0] * M
    if len(weights) != M:
        raise ValueError("one weight per model")
    if min(weights) < 0 or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    w = torch.tensor(weights, dtype=torch.float32)
    return torch.stack(logits_list), w / w.sum()

def fuse_average(logits_list, weights=None, temperature=1.0):
    z, w = _check(logits_list, weights)
    return (w[:, None, None] * torch.softmax(z / temperature, dim=-1)).sum(0)

def fuse_vote(logits_list, weights=None):
    z, w = _check(logits_list, weights)
    votes = z.argmax(-1)
    scores = (w[:, None, None] * torch.nn.functional.one_hot(votes, z.shape[-1])).sum(0)
    return scores.argmax(-1)
