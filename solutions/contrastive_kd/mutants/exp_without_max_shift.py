"""Mutant: writes the log-softmax as log(sum(exp(logits))) without subtracting the maximum, which overflows at a small temperature."""

import torch
import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    if feat_student.shape[0] != feat_teacher.shape[0]:
        raise ValueError("batch sizes differ")
    s = F.normalize(embed_student(feat_student), dim=1)
    t = F.normalize(embed_teacher(feat_teacher.detach()), dim=1)
    logits = s @ t.t() / temperature
    pos = logits.diagonal()
    row = (torch.log(torch.exp(logits).sum(dim=1)) - pos).mean()
    col = (torch.log(torch.exp(logits).sum(dim=0)) - pos).mean()
    return row + col
