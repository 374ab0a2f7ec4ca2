"""kd_loss: the knowledge-distillation loss of Hinton et al. (2015).

Implement distillation_loss below, then run `kdquiz check kd_loss`.
"""

import torch
import torch.nn.functional as F  # noqa: F401  (you will probably want F.log_softmax, F.kl_div, ...)


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """The distillation loss, a 0-dim tensor:

        alpha * T**2 * KL(softmax(teacher / T) || softmax(student / T))   (sum over classes,
                                                                            mean over the batch)
        + (1 - alpha) * cross_entropy(student_logits, labels)             (mean over the batch)

    Args:
        student_logits: (B, C) float tensor, the student's raw scores.
        teacher_logits: (B, C) float tensor, the teacher's raw scores (a fixed target:
            no gradient may flow into it).
        labels: (B,) int64 tensor of class indices in [0, C).
        temperature: T > 0, softens both distributions in the soft term only.
        alpha: weight of the soft term, in [0, 1].

    Returns:
        A 0-dim float tensor, finite even for logits of magnitude 100.
    """
    # TODO 1: the student's log-probabilities and the teacher's probabilities at temperature T
    #         (use log_softmax, never log(softmax(...))).
    # TODO 2: the KL divergence, summed over classes and averaged over the batch, times T**2.
    # TODO 3: the ordinary cross-entropy on the raw student logits and the hard labels.
    # TODO 4: combine the two terms with alpha and 1 - alpha.
    raise NotImplementedError("distillation_loss is not implemented yet")
