"""Reference solution for dist_loss: DIST, "Knowledge Distillation from A Stronger Teacher"
(Huang et al., NeurIPS 2022).

Same conventions as the authors' `DIST` module (hunto/image_classification_sota,
lib/models/losses/dist_kd.py): softmax at temperature tau, Pearson correlation as the cosine
similarity of mean-centred vectors with eps = 1e-8 added to the product of the norms, the
inter-class term over each sample's classes, the intra-class term over each class's batch, both
as 1 - mean correlation, both multiplied by tau^2, combined as beta * inter + gamma * intra.
"""

import torch

EPS = 1e-8  # the authors' eps, added to the product of the two norms


def _pearson_rows(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pearson correlation of each row of a with the same row of b: a (N,) vector."""
    a = a - a.mean(dim=1, keepdim=True)
    b = b - b.mean(dim=1, keepdim=True)
    return (a * b).sum(dim=1) / (a.norm(dim=1) * b.norm(dim=1) + EPS)


def dist_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    beta: float = 1.0,
    gamma: float = 1.0,
    tau: float = 1.0,
) -> torch.Tensor:
    """tau^2 * (beta * inter-class loss + gamma * intra-class loss), a 0-dim tensor."""
    if logits_student.dim() != 2 or logits_student.shape != logits_teacher.shape:
        raise ValueError(
            "expected two (B, C) tensors of the same shape, got "
            f"{tuple(logits_student.shape)} and {tuple(logits_teacher.shape)}"
        )
    y_s = (logits_student / tau).softmax(dim=1)
    y_t = (logits_teacher.detach() / tau).softmax(dim=1)  # the teacher is a fixed target
    inter = 1 - _pearson_rows(y_s, y_t).mean()  # each sample, across its classes
    intra = 1 - _pearson_rows(y_s.t(), y_t.t()).mean()  # each class, across the batch
    return tau**2 * (beta * inter + gamma * intra)
