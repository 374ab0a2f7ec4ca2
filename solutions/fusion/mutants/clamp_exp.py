"""Mutant: a naive softmax that clamps z / T at 80 before exp (red team: changes rows with several
large logits; an all-below-80 row of very negative logits gives 0 / 0)."""

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
    return torch.stack(logits_list), w / w.sum()

def fuse_average(logits_list, weights=None, temperature=1.0):
    z, w = _check(logits_list, weights)
    e = torch.exp((z / temperature).clamp(max=80.0))   # exp overflows float32 past 88
    p = e / e.sum(-1, keepdim=True)
    return (w[:, None, None] * p).sum(0)

def fuse_vote(logits_list, weights=None):
    z, w = _check(logits_list, weights)
    votes = z.argmax(-1)
    scores = (w[:, None, None] * torch.nn.functional.one_hot(votes, z.shape[-1])).sum(0)
    return scores.argmax(-1)
