"""Mutant: z /= temperature on the caller's logits (red team; caught by the grader's in-place check
when T != 1)."""

import torch

def _check(logits_list, weights):
    if len(logits_list) == 0:
        raise ValueError("empty list")
    shape = logits_list[0].shape
    if any(z.shape != shape for z in logits_list):
        raise ValueError("shapes differ")
    M = len(logits_list)
    if weights is None:
        w = torch.ones(M)
    else:
        if len(weights) != M:
            raise ValueError("one weight per model")
        w = torch.tensor(weights, dtype=torch.float32)
        if (w < 0).any() or w.sum() == 0:
            raise ValueError("bad weights")
    return w / w.sum()

def fuse_average(logits_list, weights=None, temperature=1.0):
    w = _check(logits_list, weights)
    fused = torch.zeros_like(logits_list[0])
    for wi, z in zip(w, logits_list):
        z /= temperature
        fused += wi * torch.softmax(z, dim=-1)
    return fused

def fuse_vote(logits_list, weights=None):
    w = _check(logits_list, weights)
    B, C = logits_list[0].shape
    scores = torch.zeros(B, C)
    for wi, z in zip(w, logits_list):
        scores[torch.arange(B), z.argmax(-1)] += wi
    return scores.argmax(-1)
