"""Mutant: Pearson as the mean of products of z-scores, but with torch.std's default unbiased
(n - 1) estimate, so every correlation is shrunk by (n - 1) / n."""

import torch


def _pearson(a, b, eps=1e-8):
    za = (a - a.mean(dim=1, keepdim=True)) / (a.std(dim=1, keepdim=True) + eps)
    zb = (b - b.mean(dim=1, keepdim=True)) / (b.std(dim=1, keepdim=True) + eps)
    return (za * zb).mean(dim=1)


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if logits_student.dim() != 2 or logits_student.shape != logits_teacher.shape:
        raise ValueError("shapes differ")
    y_s = (logits_student / tau).softmax(dim=1)
    y_t = (logits_teacher.detach() / tau).softmax(dim=1)
    inter = 1 - _pearson(y_s, y_t).mean()
    intra = 1 - _pearson(y_s.t(), y_t.t()).mean()
    return tau**2 * (beta * inter + gamma * intra)
