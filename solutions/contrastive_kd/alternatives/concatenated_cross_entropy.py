"""Alternative: both directions in one F.cross_entropy over the stacked (2B, B) logits (its mean
over 2B rows, times 2); the teacher's features detached with torch.no_grad() before the head."""

import torch
import torch.nn.functional as F


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    if feat_student.ndim != 2 or feat_teacher.ndim != 2 or len(feat_student) != len(feat_teacher):
        raise ValueError("expected (B, D_s) and (B, D_t) features with the same B")
    with torch.no_grad():
        fixed = feat_teacher.clone()
    z_s = embed_student(feat_student)
    z_t = embed_teacher(fixed)
    z_s = z_s / z_s.norm(dim=1, keepdim=True)
    z_t = z_t / z_t.norm(dim=1, keepdim=True)
    sim = z_s @ z_t.T / temperature
    labels = torch.arange(len(sim))
    return 2 * F.cross_entropy(torch.cat([sim, sim.T]), torch.cat([labels, labels]))
