"""Alternative: KL written as cross-entropy minus entropy, with a float mask and einsum."""

import torch


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    T = float(temperature)
    s = student_logits / T
    t = teacher_logits.detach() / T
    # log-softmax by hand: x - logsumexp(x), stable for any magnitude.
    log_q = s - torch.logsumexp(s, dim=-1, keepdim=True)
    log_p = t - torch.logsumexp(t, dim=-1, keepdim=True)
    if reverse:
        weights, log_target, log_other = log_q.exp(), log_q, log_p
    else:
        weights, log_target, log_other = log_p.exp(), log_p, log_q
    # KL(a || b) = sum a log a - sum a log b = (-entropy of a) + cross-entropy(a, b)
    neg_entropy = torch.einsum("blv,blv->bl", weights, log_target)
    cross = torch.einsum("blv,blv->bl", weights, log_other)
    kl = neg_entropy - cross
    w = mask.float().to(kl.dtype)
    kl = torch.where(w > 0, kl, torch.zeros_like(kl))
    n = w.sum()
    return (kl * w).sum() / torch.maximum(n, torch.ones_like(n))
