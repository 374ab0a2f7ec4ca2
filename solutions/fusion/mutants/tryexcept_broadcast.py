"""Mutant: adds the softmaxes in a loop, so a batch of 1 broadcasts against a batch of 2."""

import torch

def _weights(weights, M):
    if weights is None:
        return [1.0 / M] * M
    if len(weights) != M:
        raise ValueError("one weight per model")
    if any(w < 0 for w in weights):
        raise ValueError("negative weight")
    total = float(sum(weights))
    if total == 0:
        raise ValueError("all weights zero")
    return [float(w) / total for w in weights]

def fuse_average(logits_list, weights=None, temperature=1.0):
    if len(logits_list) == 0:
        raise ValueError("empty logits_list")
    w = _weights(weights, len(logits_list))
    try:
        fused = 0
        for wm, z in zip(w, logits_list):
            fused = fused + wm * torch.softmax(z / temperature, dim=-1)
    except RuntimeError as e:  # torch complains about mismatched shapes
        raise ValueError(f"logits shapes do not match: {e}") from e
    return fused

def fuse_vote(logits_list, weights=None):
    if len(logits_list) == 0:
        raise ValueError("empty logits_list")
    w = _weights(weights, len(logits_list))
    try:
        stacked = torch.stack(list(logits_list))
    except RuntimeError as e:
        raise ValueError(f"logits shapes do not match: {e}") from e
    C = stacked.shape[-1]
    votes = stacked.argmax(-1)
    one_hot = torch.nn.functional.one_hot(votes, C).double()
    scores = (torch.tensor(w, dtype=torch.float64)[:, None, None] * one_hot).sum(0)
    return scores.argmax(-1)
