"""Alternative: F.cosine_similarity of the centred predictions along dim 1 (inter) and dim 0
(intra), without transposing; the teacher under torch.no_grad()."""

import torch
import torch.nn.functional as F


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if logits_student.ndim != 2 or logits_teacher.shape != logits_student.shape:
        raise ValueError("student and teacher logits must both be (B, C)")
    y_s = F.softmax(logits_student / tau, dim=1)
    with torch.no_grad():
        y_t = F.softmax(logits_teacher / tau, dim=1)

    def relation(dim: int) -> torch.Tensor:
        a = y_s - y_s.mean(dim=dim, keepdim=True)
        b = y_t - y_t.mean(dim=dim, keepdim=True)
        return 1 - F.cosine_similarity(a, b, dim=dim, eps=1e-8).mean()

    return tau * tau * (beta * relation(1) + gamma * relation(0))
