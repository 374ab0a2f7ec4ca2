"""Independent torch recomputations for the numeric questions of strong-teachers, data-free,
vision-dense and online-self-training.

Each check builds the actual tensors (probability vectors, logits, feature maps, batch-norm layers,
predictions) and computes the answer with the library operation the method uses (the Pearson
correlation of DIST's code, a z-score, F.kl_div, batch statistics read from nn.BatchNorm2d,
F.cross_entropy, ...), rather than re-typing the question's formula.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

DT = torch.float64


def _kl(p: torch.Tensor, q: torch.Tensor) -> float:
    """KL(p || q) in nats with F.kl_div (input = log q, target = p)."""
    return float(F.kl_div(q.log(), p, reduction="sum"))


# --- strong-teachers ----------------------------------------------------------------------------


def _pearson_rows(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Pearson correlation of matching rows, as in DIST's code: cosine of the centred rows."""
    a = a - a.mean(dim=1, keepdim=True)
    b = b - b.mean(dim=1, keepdim=True)
    return F.cosine_similarity(a, b, dim=1, eps=eps)


def strong_dist_pearson_value(params: dict[str, float]) -> float:
    """DIST inter-class loss 1 - rho for one example; cross-checked against torch.corrcoef."""
    t = torch.tensor([params["t0"], params["t1"], 1 - params["t0"] - params["t1"]], dtype=DT)
    s = torch.tensor([params["s0"], params["s1"], 1 - params["s0"] - params["s1"]], dtype=DT)
    rho = _pearson_rows(s[None], t[None])[0]
    rho_ref = torch.corrcoef(torch.stack([s, t]))[0, 1]
    assert torch.isclose(rho, rho_ref)
    return float(1 - rho)


def strong_zscore_value(params: dict[str, float]) -> float:
    """Population z-score of the first logit, via torch.std(correction=0)."""
    z = torch.tensor([params["z0"], params["z1"], params["z2"], 0.0], dtype=DT)
    standardised = (z - z.mean()) / z.std(correction=0)
    return float(standardised[0])


def strong_scaled_student_kl(params: dict[str, float]) -> float:
    """KL at a shared temperature between a teacher and a student whose logits are teacher / c."""
    teacher = torch.tensor([params["t0"], params["t1"], 0.0], dtype=DT)
    student = teacher / params["c"]
    temperature = params["T"]
    p_t = F.softmax(teacher / temperature, dim=0)
    p_s = F.softmax(student / temperature, dim=0)
    # The point of the question: after z-scoring both, the loss vanishes.
    z_t = (teacher - teacher.mean()) / teacher.std()
    z_s = (student - student.mean()) / student.std()
    assert torch.allclose(z_t, z_s)
    return _kl(p_t, p_s)


CHECKS: dict[str, Callable[[dict[str, float]], float]] = {
    "strong-dist-pearson-value": strong_dist_pearson_value,
    "strong-zscore-value": strong_zscore_value,
    "strong-scaled-student-kl": strong_scaled_student_kl,
}
