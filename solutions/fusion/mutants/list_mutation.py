"""Mutant: replaces the items of the caller's logits_list with their softmax (red team; caught by
the grader's in-place check)."""

import torch

def _check(logits_list, weights):
    if len(logits_list) == 0:
        raise ValueError("empty list")
    shape = logits_list[0].shape
    if any(z.shape != shape for z in logits_list):
        raise ValueError("shapes differ")
    M = len(logits_list)
    if weights is None:
        return [1.0 / M] * M
    if len(weights) != M or any(x < 0 for x in weights) or sum(weights) == 0:
        raise ValueError("bad weights")
    total = sum(weights)
    return [x / total for x in weights]

def fuse_average(logits_list, weights=None, temperature=1.0):
    w = _check(logits_list, weights)
    for i in range(len(logits_list)):
        logits_list[i] = torch.softmax(logits_list[i] / temperature, dim=-1)
    return sum(wi * p for wi, p in zip(w, logits_list))

def fuse_vote(logits_list, weights=None):
    w = _check(logits_list, weights)
    B, C = logits_list[0].shape
    scores = torch.zeros(B, C, dtype=torch.float64)
    for wi, z in zip(w, logits_list):
        scores[torch.arange(B), z.argmax(-1)] += wi
    return scores.argmax(-1)
