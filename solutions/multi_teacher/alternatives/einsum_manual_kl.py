"""Alternative: Python-float weights, einsum for the mixture, KL and CE written by hand."""

import torch


def _weights(weights, m):
    if weights is None:
        return [1.0 / m] * m
    weights = [float(w) for w in weights]
    if len(weights) != m:
        raise ValueError("one weight per teacher is needed")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    total = sum(weights)
    if total == 0:
        raise ValueError("weights must not all be zero")
    return [w / total for w in weights]


def multi_teacher_targets(teacher_logits_list, temperature=4.0, weights=None):
    teachers = list(teacher_logits_list)
    if not teachers:
        raise ValueError("no teacher")
    if any(t.shape != teachers[0].shape for t in teachers):
        raise ValueError("teachers' logits differ in shape")
    w = torch.tensor(_weights(weights, len(teachers)), dtype=teachers[0].dtype)
    with torch.no_grad():
        probs = torch.stack(teachers).div(temperature).softmax(dim=-1)  # (M, B, C)
        return torch.einsum("m,mbc->bc", w, probs)


def multi_teacher_loss(
    student_logits, teacher_logits_list, labels, temperature=4.0, alpha=0.5, weights=None
):
    teachers = list(teacher_logits_list)
    if teachers and student_logits.shape != teachers[0].shape:
        raise ValueError("student and teachers differ in shape")
    target = multi_teacher_targets(teachers, temperature, weights)
    log_q = torch.log_softmax(student_logits / temperature, dim=-1)
    # KL(target ‖ q) per sample = sum target * (log target - log q); xlogy gives 0 * log 0 = 0
    kl = (torch.xlogy(target, target) - target * log_q).sum(dim=-1)
    soft = kl.mean() * temperature**2
    log_probs = torch.log_softmax(student_logits, dim=-1)
    hard = -log_probs.gather(1, labels.view(-1, 1)).mean()
    return alpha * soft + (1 - alpha) * hard
