"""Alternative: flatten and select kept rows first; KL as cross-entropy minus entropy."""

import torch
import torch.nn.functional as F


def generalized_jsd(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    batch = student_logits.shape[0]
    vocab = student_logits.shape[-1]
    s = student_logits.reshape(-1, vocab)
    t = teacher_logits.reshape(-1, vocab)
    if labels is not None:
        keep = labels.reshape(-1) != -100
        s, t = s[keep], t[keep]
        denominator = keep.sum()
    else:
        denominator = batch
    log_q = F.log_softmax(s / temperature, dim=-1)
    log_p = F.log_softmax(t / temperature, dim=-1)
    q, p = log_q.exp(), log_p.exp()

    def kl(a, log_a, log_b):
        # KL(a ‖ b) = sum a log a - sum a log b, summed over all rows at once
        return (a * log_a).sum() - (a * log_b).sum()

    if beta == 0:
        total = kl(p, log_p, log_q)
    elif beta == 1:
        total = kl(q, log_q, log_p)
    else:
        weights = torch.tensor([1.0 - beta, beta], dtype=log_q.dtype).log().view(2, 1, 1)
        log_m = torch.logsumexp(torch.stack([log_q, log_p]) + weights, dim=0)
        total = beta * kl(p, log_p, log_m) + (1 - beta) * kl(q, log_q, log_m)
    return total / denominator
