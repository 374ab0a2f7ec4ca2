"""Mutant: softens only the student; the teacher's softmax stays at temperature 1."""

import torch


def _check(s, t):
    if s.dim() != 2 or s.shape != t.shape:
        raise ValueError(f"shapes differ: {tuple(s.shape)} and {tuple(t.shape)}")


def _pearson(a, b, eps=1e-8):
    a = a - a.mean(dim=1, keepdim=True)
    b = b - b.mean(dim=1, keepdim=True)
    return (a * b).sum(dim=1) / (a.norm(dim=1) * b.norm(dim=1) + eps)


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    _check(logits_student, logits_teacher)
    y_s = (logits_student / tau).softmax(dim=1)
    y_t = logits_teacher.detach().softmax(dim=1)
    inter = 1 - _pearson(y_s, y_t).mean()
    intra = 1 - _pearson(y_s.t(), y_t.t()).mean()
    return tau**2 * (beta * inter + gamma * intra)
