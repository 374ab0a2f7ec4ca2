"""Alternative: einsum similarities, the InfoNCE terms as logsumexp minus the positive logit,
computed in float64 and cast back to float32."""

import torch


def contrastive_kd_loss(feat_student, feat_teacher, embed_student, embed_teacher, temperature=0.07):
    B = feat_student.shape[0]
    if feat_teacher.shape[0] != B or feat_student.dim() != 2 or feat_teacher.dim() != 2:
        raise ValueError("mismatched features")
    s = embed_student(feat_student).double()
    t = embed_teacher(feat_teacher.detach()).double()
    s = s / torch.linalg.vector_norm(s, dim=1, keepdim=True)
    t = t / torch.linalg.vector_norm(t, dim=1, keepdim=True)
    logits = torch.einsum("id,jd->ij", s, t) / temperature
    positive = logits.diagonal()
    loss = (torch.logsumexp(logits, dim=1) - positive).mean()
    loss = loss + (torch.logsumexp(logits, dim=0) - positive).mean()
    return loss.float()
