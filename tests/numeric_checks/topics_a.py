"""Independent torch recomputations for the numeric questions of four topics.

Topics: fundamentals, soft-targets, loss-functions, training-practice. Each function takes the
question's drawn params (an empty dict for fixed questions) and recomputes the answer with torch
in float64, using torch's own softmax / KL / autograd / modules rather than the template formula.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

DT = torch.float64


def _vec(*values: float) -> torch.Tensor:
    return torch.tensor([float(v) for v in values], dtype=DT)


# --------------------------------------------------------------------------------- fundamentals


def _seed_student_param_count(_: dict[str, float]) -> float:
    # The student of the seed article's text-classification sample.
    student = nn.Sequential(nn.Embedding(10000, 128), nn.Linear(128, 10))
    return float(sum(p.numel() for p in student.parameters() if p.requires_grad))


def _dark_knowledge_ratio(p: dict[str, float]) -> float:
    # Teacher probabilities at T = 1: class '3' 10^-a, class '7' 10^-b, the rest on class '2'.
    p3, p7 = 10.0 ** -p["a"], 10.0 ** -p["b"]
    probs = _vec(1.0 - p3 - p7, p3, p7)
    logits = torch.log(probs)  # any logits that produce these probabilities
    soft = torch.softmax(logits / p["T"], dim=0)
    return float(soft[1] / soft[2])


# --------------------------------------------------------------------------------- soft-targets


def _soft_target_wrong_class(p: dict[str, float]) -> float:
    z = _vec(p["z0"], p["z1"], p["z2"])
    return float(torch.softmax(z / p["T"], dim=0)[1])


def _soft_gradient_after_t2(p: dict[str, float]) -> float:
    T = p["T"]
    teacher = _vec(p["t0"], p["t1"], p["t2"]).unsqueeze(0)
    student = _vec(p["s0"], p["s1"], p["s2"]).unsqueeze(0).requires_grad_(True)
    loss = (
        T
        * T
        * F.kl_div(
            F.log_softmax(student / T, dim=1), F.softmax(teacher / T, dim=1), reduction="batchmean"
        )
    )
    (grad,) = torch.autograd.grad(loss, student)
    return float(grad[0, 0])


def _soft_target_entropy_bits(p: dict[str, float]) -> float:
    z = _vec(p["z0"], p["z1"], p["z2"])
    dist = torch.distributions.Categorical(logits=z / p["T"])
    return float(dist.entropy() / math.log(2.0))


def _high_t_scaled_gradient(_: dict[str, float]) -> float:
    T = 10.0
    v = _vec(2, 0, -2)
    z = _vec(1, 0, -1).requires_grad_(True)
    soft_ce = -(torch.softmax(v / T, dim=0) * torch.log_softmax(z / T, dim=0)).sum()
    (grad,) = torch.autograd.grad(soft_ce, z)
    return float(T * T * grad[0])


# ------------------------------------------------------------------------------- loss-functions


def _batchmean_from_mean(_: dict[str, float]) -> float:
    # Measure the ratio batchmean / mean on random data of the question's shape, then rescale.
    gen = torch.Generator().manual_seed(0)
    log_q = torch.log_softmax(torch.randn(32, 100, generator=gen, dtype=DT), dim=1)
    target = torch.softmax(torch.randn(32, 100, generator=gen, dtype=DT), dim=1)
    with warnings.catch_warnings():  # torch warns that 'mean' is not the true KL (the point here)
        warnings.simplefilter("ignore", UserWarning)
        mean = F.kl_div(log_q, target, reduction="mean")
    batchmean = F.kl_div(log_q, target, reduction="batchmean")
    return float(0.0025 * batchmean / mean)


def _kl_value_at_t(p: dict[str, float]) -> float:
    T = p["T"]
    t = _vec(p["t0"], p["t1"], p["t2"])
    s = _vec(p["s0"], p["s1"], p["s2"])
    teacher = torch.distributions.Categorical(logits=t / T)
    student = torch.distributions.Categorical(logits=s / T)
    return float(torch.distributions.kl_divergence(teacher, student))


def _kd_total_loss(p: dict[str, float]) -> float:
    T, alpha = p["T"], p["alpha"]
    t = _vec(p["t0"], p["t1"], p["t2"]).unsqueeze(0)
    s = _vec(p["s0"], p["s1"], p["s2"]).unsqueeze(0)
    y = torch.tensor([0])
    soft = F.kl_div(F.log_softmax(s / T, dim=1), F.softmax(t / T, dim=1), reduction="batchmean")
    hard = F.cross_entropy(s, y)
    return float(alpha * T * T * soft + (1 - alpha) * hard)


def _alpha_without_t2(p: dict[str, float]) -> float:
    # Solve alpha' / (1 - alpha') = alpha T^2 / (1 - alpha) for alpha' (a sigmoid of the log-ratio).
    alpha = torch.tensor(p["alpha"], dtype=DT)
    T = torch.tensor(p["T"], dtype=DT)
    log_ratio = torch.log(alpha) + 2 * torch.log(T) - torch.log1p(-alpha)
    return float(torch.sigmoid(log_ratio))


# ---------------------------------------------------------------------------- training-practice


def _teacher_compute_share(p: dict[str, float]) -> float:
    # Per example: teacher forward only (no_grad); student forward + backward (~2x forward).
    teacher = torch.tensor(p["FT"], dtype=DT)
    student_fwd = torch.tensor(p["FS"], dtype=DT)
    student_step = student_fwd + 2 * student_fwd
    return float(teacher / (teacher + student_step))


def _imagenet_logit_cache_gb(_: dict[str, float]) -> float:
    images, classes = 1_281_167, 1000
    bytes_per_value = torch.empty(0, dtype=torch.float16).element_size()
    return images * classes * bytes_per_value / 1e9


CHECKS: dict[str, Callable[[dict[str, float]], float]] = {
    # fundamentals
    "seed-student-param-count": _seed_student_param_count,
    "dark-knowledge-ratio-at-t": _dark_knowledge_ratio,
    # soft-targets
    "soft-target-wrong-class-prob": _soft_target_wrong_class,
    "soft-gradient-after-t2": _soft_gradient_after_t2,
    "soft-target-entropy-bits": _soft_target_entropy_bits,
    "high-t-scaled-gradient": _high_t_scaled_gradient,
    # loss-functions
    "batchmean-from-mean-value": _batchmean_from_mean,
    "kl-value-at-t": _kl_value_at_t,
    "kd-total-loss-value": _kd_total_loss,
    "alpha-equivalent-without-t2": _alpha_without_t2,
    # training-practice
    "teacher-forward-compute-share": _teacher_compute_share,
    "imagenet-logit-cache-gb": _imagenet_logit_cache_gb,
}
