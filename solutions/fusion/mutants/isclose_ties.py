"""Mutant: treats near-equal vote totals as ties (torch.isclose)."""

import torch

def _check(logits_list, weights):
    if len(logits_list) == 0:
        raise ValueError("empty logits_list")
    shape = logits_list[0].shape
    if any(z.shape != shape for z in logits_list):
        raise ValueError("shapes differ")
    M = len(logits_list)
    if weights is None:
        w = torch.ones(M, dtype=torch.float64)
    else:
        w = torch.as_tensor(weights, dtype=torch.float64).flatten()
        if w.numel() != M or (w < 0).any() or w.sum() == 0:
            raise ValueError("bad weights")
    return torch.stack(list(logits_list)), w / w.sum()

def fuse_average(logits_list, weights=None, temperature=1.0):
    stacked, w = _check(logits_list, weights)
    probs = torch.softmax(stacked / temperature, dim=-1)
    return (w.to(probs.dtype)[:, None, None] * probs).sum(0)

def fuse_vote(logits_list, weights=None):
    stacked, w = _check(logits_list, weights)
    C = stacked.shape[-1]
    one_hot = torch.nn.functional.one_hot(stacked.argmax(-1), C).double()
    scores = (w[:, None, None] * one_hot).sum(0)
    # weights like 3.2 + 1.6 are not exact in binary: treat totals that are close as ties,
    # then the lowest tied class wins
    best = scores.max(-1, keepdim=True).values
    tied = torch.isclose(scores, best)
    return tied.int().argmax(-1)
