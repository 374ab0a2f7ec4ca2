"""Mutant: no check that both sides have the same batch: with more teacher rows than student rows,
the extra teachers silently become negatives and the teacher-anchor term is wrong."""

import torch
import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    s = F.normalize(embed_student(feat_student), dim=1)
    t = F.normalize(embed_teacher(feat_teacher.detach()), dim=1)
    logits = s @ t.t() / temperature
    n = min(logits.shape)
    targets = torch.arange(n)
    return F.cross_entropy(logits[:n], targets) + F.cross_entropy(logits.t()[:n], targets)
