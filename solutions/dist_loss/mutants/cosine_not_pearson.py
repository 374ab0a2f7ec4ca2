"""Mutant: cosine similarity of the predictions, without centring them first (not Pearson)."""

import torch
import torch.nn.functional as F


def dist_loss(logits_student, logits_teacher, beta=1.0, gamma=1.0, tau=1.0):
    if logits_student.dim() != 2 or logits_student.shape != logits_teacher.shape:
        raise ValueError("shapes differ")
    y_s = (logits_student / tau).softmax(dim=1)
    y_t = (logits_teacher.detach() / tau).softmax(dim=1)
    inter = 1 - F.cosine_similarity(y_s, y_t, dim=1).mean()
    intra = 1 - F.cosine_similarity(y_s, y_t, dim=0).mean()
    return tau**2 * (beta * inter + gamma * intra)
