"""Mutant: writes softmax as exp(z) / sum(exp(z)) without subtracting the maximum (overflows)."""


import torch


def _check_inputs(logits_list, weights):
    """Validate the arguments; return the stacked logits (M, B, C) and weights (M,) summing to 1."""
    if not isinstance(logits_list, (list, tuple)) or len(logits_list) == 0:
        raise ValueError("logits_list must be a non-empty list of (B, C) tensors")
    shape = logits_list[0].shape
    if len(shape) != 2:
        raise ValueError(f"each logits tensor must be 2-D (B, C), got shape {tuple(shape)}")
    for i, logits in enumerate(logits_list):
        if logits.shape != shape:
            raise ValueError(
                f"all logits must have the same shape: model 0 has {tuple(shape)}, "
                f"model {i} has {tuple(logits.shape)}"
            )
    stacked = torch.stack(list(logits_list))  # (M, B, C)
    num_models = stacked.shape[0]

    if weights is None:
        w = torch.ones(num_models, dtype=torch.float64)
    else:
        w = torch.as_tensor(weights, dtype=torch.float64).flatten()
        if w.numel() != num_models:
            raise ValueError(f"got {w.numel()} weights for {num_models} models")
        if bool((w < 0).any()):
            raise ValueError("weights must be non-negative")
        if not bool(torch.isfinite(w).all()):
            raise ValueError("weights must be finite")
        if float(w.sum()) == 0.0:
            raise ValueError("weights must not all be zero")
    # Normalise so the weights sum to 1 (kept in float64 until the end for accuracy).
    return stacked, w / w.sum()


def fuse_average(logits_list, weights=None, temperature=1.0):
    """Weighted average of each model's softmax(logits / T): a (B, C) tensor of probabilities."""
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    stacked, w = _check_inputs(logits_list, weights)
    # Average probabilities, not logits: each model's softmax is computed on its own.
    # softmax subtracts the row maximum internally, so logits of magnitude 100 are safe.
    e = torch.exp(stacked / temperature)
    probs = e / e.sum(dim=-1, keepdim=True)
    fused = (w.to(probs.dtype)[:, None, None] * probs).sum(dim=0)
    return fused


def fuse_vote(logits_list, weights=None):
    """Weighted majority vote of each model's predicted class: an int64 tensor of shape (B,).

    Each model casts a vote of its weight for its argmax class; the class with the largest total
    wins, ties going to the lowest class index.
    """
    stacked, w = _check_inputs(logits_list, weights)
    num_classes = stacked.shape[-1]
    votes = stacked.argmax(dim=-1)  # (M, B): each model's predicted class per sample
    # scores[b, c] = total weight of the models voting for class c on sample b.
    one_hot = torch.nn.functional.one_hot(votes, num_classes).to(torch.float64)  # (M, B, C)
    scores = (w[:, None, None] * one_hot).sum(dim=0)  # (B, C)
    # torch.argmax returns the first maximal index, i.e. ties go to the lowest class.
    return scores.argmax(dim=-1)
