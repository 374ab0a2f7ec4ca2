"""Mutant: only the student as anchor (one direction); CRD also contrasts each teacher embedding over the students."""

import torch
import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    if feat_student.shape[0] != feat_teacher.shape[0]:
        raise ValueError("batch sizes differ")
    s = F.normalize(embed_student(feat_student), dim=1)
    t = F.normalize(embed_teacher(feat_teacher.detach()), dim=1)
    logits = s @ t.t() / temperature
    return F.cross_entropy(logits, torch.arange(s.shape[0]))
