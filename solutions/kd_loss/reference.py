"""Reference solution for kd_loss: the Hinton et al. (2015) distillation loss."""

import torch
import torch.nn.functional as F


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """alpha * T^2 * KL(p_teacher^T || p_student^T) + (1 - alpha) * CE(student, labels)."""
    T = temperature
    # The teacher is a fixed target: no gradient may flow back into it.
    teacher_logits = teacher_logits.detach()

    # Soft term. log_softmax is computed stably (max subtraction inside), so logits of
    # magnitude 100 give finite log-probabilities where log(softmax(.)) would give -inf.
    log_p_student = F.log_softmax(student_logits / T, dim=-1)
    p_teacher = F.softmax(teacher_logits / T, dim=-1)
    # F.kl_div(input, target) = sum target * (log target - input): the input must be
    # log-probabilities (the student's), the target probabilities (the teacher's).
    # "batchmean" sums over classes and averages over the batch, the true KL per sample.
    soft = F.kl_div(log_p_student, p_teacher, reduction="batchmean")
    # Gradients of the soft term scale as 1/T^2; multiplying by T^2 keeps them comparable
    # to the hard term's whatever the temperature.
    soft = soft * (T * T)

    # Hard term: ordinary cross-entropy on the raw (temperature 1) student logits.
    hard = F.cross_entropy(student_logits, labels)

    return alpha * soft + (1.0 - alpha) * hard
