"""Reference solution for contrastive_kd: contrastive representation distillation with in-batch
negatives (CRD, Tian et al., ICLR 2020, without the memory bank).

Conventions from the authors' code (HobbitLong/RepDistiller, crd/criterion.py and
helper/loops.py): a trainable projection head on each side (linear, then L2 normalisation), the
teacher's features a fixed input (computed under no_grad and detached), its head trained with the
student's, a temperature dividing the similarities, and two symmetric parts summed: the teacher
as anchor contrasted over the student side, and the student as anchor over the teacher side. The
memory bank and NCE estimator are replaced by InfoNCE over the other samples of the batch.
"""

import torch
import torch.nn.functional as F
from torch import nn


def contrastive_kd_loss(
    feat_student: torch.Tensor,
    feat_teacher: torch.Tensor,
    embed_student: nn.Module,
    embed_teacher: nn.Module,
    temperature: float = 0.07,
) -> torch.Tensor:
    """InfoNCE(student anchors) + InfoNCE(teacher anchors), each a mean over the batch."""
    if feat_student.dim() != 2 or feat_teacher.dim() != 2:
        raise ValueError("features must be (B, D) tensors")
    if feat_student.shape[0] != feat_teacher.shape[0]:
        raise ValueError(f"batch sizes differ: {feat_student.shape[0]} and {feat_teacher.shape[0]}")
    s = F.normalize(embed_student(feat_student), dim=1)
    # The teacher's features are a fixed input; its projection head still learns.
    t = F.normalize(embed_teacher(feat_teacher.detach()), dim=1)
    logits = s @ t.t() / temperature  # (B, B): row i = student i against every teacher
    targets = torch.arange(s.shape[0])
    student_anchor = F.cross_entropy(logits, targets)  # positives on the diagonal
    teacher_anchor = F.cross_entropy(logits.t(), targets)
    return student_anchor + teacher_anchor
