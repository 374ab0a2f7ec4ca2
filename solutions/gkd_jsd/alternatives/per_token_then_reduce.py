"""Alternative: per-token divergences (B, L) written out by hand, then a masked reduction."""

import math

import torch


def _log_softmax(x):
    return x - torch.logsumexp(x, dim=-1, keepdim=True)


def _kl(log_a, log_b):
    """KL(a ‖ b) per token, from log-probabilities: sum_v a (log a - log b)."""
    return (log_a.exp() * (log_a - log_b)).sum(dim=-1)


def generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    log_q = _log_softmax(student_logits / temperature)
    log_p = _log_softmax(teacher_logits / temperature)
    beta = float(beta)
    if beta == 0.0:
        per_token = _kl(log_p, log_q)  # forward KL(teacher ‖ student)
    elif beta == 1.0:
        per_token = _kl(log_q, log_p)  # reverse KL(student ‖ teacher)
    else:
        # log((1 - beta) q + beta p) = logaddexp(log(1 - beta) + log q, log(beta) + log p)
        log_m = torch.logaddexp(log_q + math.log1p(-beta), log_p + math.log(beta))
        per_token = beta * _kl(log_p, log_m) + (1.0 - beta) * _kl(log_q, log_m)
    if labels is None:
        return per_token.sum() / per_token.shape[0]
    keep = (labels != -100).to(per_token.dtype)
    # torch.where keeps the garbage at ignored positions out of the sum entirely.
    total = torch.where(keep > 0, per_token, torch.zeros_like(per_token)).sum()
    return total / keep.sum()
