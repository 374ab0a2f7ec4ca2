"""Alternative: select the kept rows first, then F.kl_div(..., log_target=True) on them."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    vocab = student_logits.shape[-1]
    keep = mask.reshape(-1).bool()
    # Only the kept positions, as a (N, V) matrix: padding never enters the computation.
    s = student_logits.reshape(-1, vocab)[keep] / temperature
    with torch.no_grad():
        t = teacher_logits.reshape(-1, vocab)[keep] / temperature
    if s.shape[0] == 0:
        # Nothing to average; multiplying by 0 keeps the result on the graph.
        return student_logits.sum() * 0.0
    log_q = F.log_softmax(s, dim=-1)
    log_p = F.log_softmax(t, dim=-1)
    # F.kl_div(input, target, log_target=True) = sum exp(target) * (target - input)
    if reverse:
        total = F.kl_div(log_p, log_q, reduction="sum", log_target=True)
    else:
        total = F.kl_div(log_q, log_p, reduction="sum", log_target=True)
    return total / s.shape[0]
