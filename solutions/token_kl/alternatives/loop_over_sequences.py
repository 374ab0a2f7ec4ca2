"""Alternative: a plain loop over the sequences, accumulating a token-weighted sum."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    total = student_logits.new_zeros(()) + 0.0 * student_logits.sum()
    count = 0
    for b in range(student_logits.shape[0]):
        rows = mask[b].bool()
        n = int(rows.sum())
        if n == 0:
            continue
        log_q = F.log_softmax(student_logits[b, rows] / temperature, dim=-1)
        log_p = F.log_softmax(teacher_logits[b, rows].detach() / temperature, dim=-1)
        a, b_ = (log_q, log_p) if reverse else (log_p, log_q)
        total = total + (a.exp() * (a - b_)).sum()
        count += n
    return total / max(count, 1)
