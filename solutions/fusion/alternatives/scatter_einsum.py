"""Alternative: einsum for the weighted average of probabilities; the vote scatter-adds
the weights into a (B, C) table and breaks ties explicitly with the smallest tied index."""

import torch


def _prepare(logits_list, weights):
    if not logits_list:
        raise ValueError("logits_list is empty")
    shapes = {tuple(z.shape) for z in logits_list}
    if len(shapes) != 1:
        raise ValueError(f"logits of different shapes: {sorted(shapes)}")
    z = torch.stack(logits_list)  # (M, B, C)
    M = z.shape[0]
    w = torch.ones(M) if weights is None else torch.tensor(weights, dtype=torch.float32)
    if w.shape != (M,):
        raise ValueError(f"expected {M} weights, got {w.numel()}")
    if (w < 0).any() or not (w > 0).any():
        raise ValueError("weights must be >= 0 and not all zero")
    return z, w / w.sum()


def fuse_average(logits_list, weights=None, temperature=1.0):
    z, w = _prepare(logits_list, weights)
    return torch.einsum("m,mbc->bc", w, (z / temperature).softmax(dim=-1))


def fuse_vote(logits_list, weights=None):
    z, w = _prepare(logits_list, weights)
    M, B, C = z.shape
    votes = z.argmax(dim=-1).T  # (B, M)
    table = torch.zeros(B, C).scatter_add_(1, votes, w.expand(B, M))
    # Among the classes with the top score, take the smallest index.
    is_top = table == table.max(dim=1, keepdim=True).values
    index = torch.arange(C).expand(B, C)
    return torch.where(is_top, index, C).min(dim=1).values
