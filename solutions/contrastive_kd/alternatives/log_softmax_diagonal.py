"""Alternative: log_softmax along each axis of one similarity matrix and the mean of its
diagonal, without transposing; cosine similarities from F.cosine_similarity broadcasting."""

import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    if feat_student.dim() != 2 or feat_teacher.dim() != 2:
        raise ValueError("features must be 2-D")
    if feat_student.size(0) != feat_teacher.size(0):
        raise ValueError("student and teacher batches differ")
    e_s = embed_student(feat_student)
    e_t = embed_teacher(feat_teacher.detach())
    cos = F.cosine_similarity(e_s[:, None, :], e_t[None, :, :], dim=-1, eps=1e-12)
    logits = cos / temperature
    over_teachers = F.log_softmax(logits, dim=1).diagonal()  # student i as anchor
    over_students = F.log_softmax(logits, dim=0).diagonal()  # teacher j as anchor
    return -(over_teachers.mean() + over_students.mean())
