"""Mutant: divides the (detached, but shared) teacher logits by T in place, changing the caller's
tensor."""

import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False):
    teacher_logits = teacher_logits.detach()  # detach() shares the caller's storage
    teacher_logits /= temperature  # in place: the caller's teacher logits change
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits, dim=-1)
    if reverse:
        kl = (log_q.exp() * (log_q - log_p)).sum(-1)
    else:
        kl = (log_p.exp() * (log_p - log_q)).sum(-1)
    m = mask.float()
    return (kl * m).sum() / m.sum().clamp(min=1)
