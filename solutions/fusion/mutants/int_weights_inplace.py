"""Mutant: w = torch.tensor(weights); w /= w.sum() (red team: integer weights such as [3, 1] give
an int64 tensor and the in-place division raises RuntimeError)."""

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
        w = torch.tensor(weights)
        if (w < 0).any() or w.sum() == 0:
            raise ValueError("bad weights")
    w /= w.sum()
    return torch.stack(logits_list), w

def fuse_average(logits_list, weights=None, temperature=1.0):
    z, w = _check(logits_list, weights)
    p = torch.softmax(z / temperature, dim=-1)
    return (w[:, None, None] * p).sum(0)

def fuse_vote(logits_list, weights=None):
    z, w = _check(logits_list, weights)
    votes = z.argmax(-1)                       # (M, B)
    C = z.shape[-1]
    scores = (w[:, None, None] * torch.nn.functional.one_hot(votes, C)).sum(0)
    return scores.argmax(-1)
