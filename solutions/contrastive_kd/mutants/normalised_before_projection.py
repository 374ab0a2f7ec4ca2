"""Mutant: L2-normalises the features before the projection head instead of the head's output."""

import torch
import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    if feat_student.shape[0] != feat_teacher.shape[0]:
        raise ValueError("batch sizes differ")
    s = embed_student(F.normalize(feat_student, dim=1))
    t = embed_teacher(F.normalize(feat_teacher.detach(), dim=1))
    logits = s @ t.t() / temperature
    targets = torch.arange(s.shape[0])
    return F.cross_entropy(logits, targets) + F.cross_entropy(logits.t(), targets)
