"""fusion: combine several models' predictions by weighted averaging or by voting.

Implement fuse_average and fuse_vote below, then run `kdquiz check fusion`.
"""

import torch


def fuse_average(logits_list, weights=None, temperature=1.0):
    """Soft fusion: the weighted average of every model's softmax(logits / temperature).

    Args:
        logits_list: a non-empty list of M float tensors, all of the same shape (B, C).
        weights: None (every model counts the same) or a list of M non-negative numbers,
            not all zero; they are normalised to sum to 1.
        temperature: T > 0; each model's logits are divided by T before its softmax.

    Returns:
        A float32 tensor of shape (B, C) whose rows are probability distributions.

    Raises:
        ValueError: empty list, mismatched shapes, or bad weights (wrong number,
            negative, or all zero).
    """
    # TODO 1: validate logits_list and weights (raise ValueError with a clear message).
    # TODO 2: normalise the weights so they sum to 1 (None = equal weights).
    # TODO 3: softmax(logits / T) for every model, then the weighted sum over models.
    raise NotImplementedError("fuse_average is not implemented yet")


def fuse_vote(logits_list, weights=None):
    """Hard fusion: a weighted majority vote of every model's predicted class.

    Each model votes, with its weight, for the argmax class of each sample; the class with
    the largest total wins, ties going to the lowest class index.

    Args:
        logits_list: a non-empty list of M float tensors, all of the same shape (B, C).
        weights: None (one vote per model) or a list of M non-negative numbers, not all zero.

    Returns:
        An int64 tensor of shape (B,) with the winning class of each sample.

    Raises:
        ValueError: empty list, mismatched shapes, or bad weights (wrong number,
            negative, or all zero).
    """
    # TODO 1: validate the arguments as in fuse_average (a shared helper is a good idea).
    # TODO 2: each model's predicted class per sample.
    # TODO 3: add up the weights of the votes per class; pick the best class (ties -> lowest).
    raise NotImplementedError("fuse_vote is not implemented yet")
