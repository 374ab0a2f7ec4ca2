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
from torch import nn

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


# --- data-free ----------------------------------------------------------------------------------


def df_dafl_entropy_value(params: dict[str, float]) -> float:
    """DAFL's information-entropy loss on a real (2, 3) batch of teacher predictions (natural log)."""
    a, b = params["a"], params["b"]
    preds = torch.tensor([[a, (1 - a) / 2, (1 - a) / 2], [(1 - b) / 2, b, (1 - b) / 2]], dtype=DT)
    mean_pred = preds.mean(dim=0)
    entropy = torch.distributions.Categorical(probs=mean_pred).entropy()
    return float(-entropy)


def df_bn_loss_value(params: dict[str, float]) -> float:
    """DeepInversion's hook on a real BatchNorm2d: a batch built to have the given channel stats."""
    bn = nn.BatchNorm2d(2).to(DT).eval()
    bn.running_mean.copy_(torch.tensor([params["m1"], params["m2"]], dtype=DT))
    bn.running_var.copy_(torch.tensor([params["v1"], params["v2"]], dtype=DT))
    means = torch.tensor([params["bm1"], params["bm2"]], dtype=DT)
    stds = torch.tensor([params["bv1"], params["bv2"]], dtype=DT).sqrt()
    # Two examples per channel at mean ± std: batch mean = mean, biased variance = std².
    x = torch.stack([means + stds, means - stds]).reshape(2, 2, 1, 1)
    seen: dict[str, torch.Tensor] = {}

    def hook(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
        feature = inputs[0]
        mean = feature.mean(dim=(0, 2, 3))
        var = feature.permute(1, 0, 2, 3).reshape(2, -1).var(dim=1, unbiased=False)
        seen["loss"] = torch.linalg.vector_norm(bn.running_var - var) + torch.linalg.vector_norm(
            bn.running_mean - mean
        )

    handle = bn.register_forward_hook(hook)
    bn(x)
    handle.remove()
    return float(seen["loss"])


# --- vision-dense -------------------------------------------------------------------------------


def vd_deit_hard_loss_value(params: dict[str, float]) -> float:
    """DeiT's hard distillation: (1 - alpha)·CE(cls, y) + alpha·CE(dist, teacher argmax), alpha = 0.5."""
    out_cls = torch.tensor([[params["c0"], params["c1"], 0.0]], dtype=DT)
    out_dist = torch.tensor([[params["d0"], params["d1"], 0.0]], dtype=DT)
    teacher_logits = torch.tensor([[0.0, 5.0, 1.0]], dtype=DT)  # the teacher says class 1
    labels = torch.tensor([0])
    alpha = 0.5
    loss = (1 - alpha) * F.cross_entropy(out_cls, labels) + alpha * F.cross_entropy(
        out_dist, teacher_logits.argmax(dim=1)
    )
    return float(loss)


def vd_imitation_loss_value(params: dict[str, float]) -> float:
    """Masked imitation loss on a (1, 4, 2, 2) feature map: (diff² · mask).sum() / (2 · mask.sum())."""
    errors = torch.tensor(
        [[params["e1"], params["e2"]], [params["e3"], params["eb"]]], dtype=DT
    )  # per-location squared error summed over channels
    teacher = torch.randn(1, 4, 2, 2, dtype=DT, generator=torch.Generator().manual_seed(0))
    # Spread each location's error evenly over the 4 channels: each channel differs by sqrt(e/4).
    student = teacher + (errors / 4).sqrt().expand(1, 4, 2, 2)
    mask = torch.tensor([[1.0, 1.0], [1.0, 0.0]], dtype=DT)  # the last location is background
    loss = ((student - teacher) ** 2 * mask).sum() / (2 * mask.sum())
    return float(loss)


def vd_fgd_scale_weight(params: dict[str, float]) -> float:
    """FGD's foreground scale mask built as in its code on a 32 × 32 map, read at both boxes."""
    height = width = 32
    mask = torch.zeros(height, width, dtype=DT)
    h1, w1, h2, w2 = (int(params[k]) for k in ("h1", "w1", "h2", "w2"))
    boxes = [(0, 0, h1, w1), (16, 16, h2, w2)]  # (row, col, rows covered, cols covered), disjoint
    for row, col, rows, cols in boxes:
        area = 1.0 / (rows * cols)
        region = mask[row : row + rows, col : col + cols]
        mask[row : row + rows, col : col + cols] = torch.maximum(
            region, torch.full_like(region, area)
        )
    assert torch.isclose(mask[:h1, :w1].sum(), torch.tensor(1.0, dtype=DT))  # one unit per object
    return float(mask[0, 0] / mask[16, 16])


def vd_cwd_value(params: dict[str, float]) -> float:
    """CWD as in mmrazor's ChannelWiseDivergence, on one image with one 2 × 2 channel."""
    tau = params["tau"]
    preds_t = torch.tensor([[[[params["a"], 0.0], [0.0, 0.0]]]], dtype=DT)
    preds_s = torch.tensor([[[[params["b"], 0.0], [0.0, 0.0]]]], dtype=DT)
    n, c, h, w = preds_s.shape
    softmax_t = F.softmax(preds_t.reshape(-1, h * w) / tau, dim=1)
    log_softmax_t = F.log_softmax(preds_t.reshape(-1, h * w) / tau, dim=1)
    log_softmax_s = F.log_softmax(preds_s.reshape(-1, h * w) / tau, dim=1)
    loss = torch.sum(softmax_t * log_softmax_t - softmax_t * log_softmax_s) * tau**2
    return float(loss / (c * n))


# --- online-self-training -----------------------------------------------------------------------


def ost_one_teacher_probability(params: dict[str, float]) -> float:
    """ONE's gated ensemble of three 2-class branches, softened at T = 3 (as its KLLoss does)."""
    margins = torch.tensor([params["m1"], params["m2"], params["m3"]], dtype=DT)
    branch_logits = torch.stack(
        [margins, torch.zeros(3, dtype=DT)], dim=1
    )  # (3 branches, 2 classes)
    g1, g2 = params["g1"], params["g2"]
    gate = torch.tensor([g1, g2, 1 - g1 - g2], dtype=DT)
    teacher_logits = (gate[:, None] * branch_logits).sum(dim=0)
    return float(F.softmax(teacher_logits / 3.0, dim=0)[0])


def ost_one_rampup_weight(params: dict[str, float]) -> float:
    """The sigmoid ramp-up of ONE's utils/ramps.py, re-implemented with torch.clamp."""
    current = torch.clamp(torch.tensor(params["e"], dtype=DT), 0.0, 80.0)
    phase = 1.0 - current / 80.0
    return float(torch.exp(-5.0 * phase * phase))


def ost_noisy_student_balance_copies(params: dict[str, float]) -> float:
    """Expected copies under the filtering script's stochastic rounding of num_image / count."""
    include_copy = torch.tensor(130000.0, dtype=DT) / params["n"]
    whole = torch.floor(include_copy)
    fraction = include_copy - whole
    # int(include_copy) + Bernoulli(fraction): its expectation, computed from the two outcomes.
    outcomes = torch.stack([whole, whole + 1])
    probabilities = torch.stack([1 - fraction, fraction])
    return float((outcomes * probabilities).sum())


CHECKS: dict[str, Callable[[dict[str, float]], float]] = {
    "strong-dist-pearson-value": strong_dist_pearson_value,
    "strong-zscore-value": strong_zscore_value,
    "strong-scaled-student-kl": strong_scaled_student_kl,
    "df-dafl-entropy-value": df_dafl_entropy_value,
    "df-bn-loss-value": df_bn_loss_value,
    "vd-deit-hard-loss-value": vd_deit_hard_loss_value,
    "vd-imitation-loss-value": vd_imitation_loss_value,
    "vd-fgd-scale-weight": vd_fgd_scale_weight,
    "vd-cwd-value": vd_cwd_value,
    "ost-one-teacher-probability": ost_one_teacher_probability,
    "ost-one-rampup-weight": ost_one_rampup_weight,
    "ost-noisy-student-balance-copies": ost_noisy_student_balance_copies,
}
