"""Independent torch recomputations for the numeric questions of llm-distillation, compression,
fusion-ensembles and evaluation-debugging.

Each check builds the actual tensors (distributions, quantized tensors, layers, predictions) and
computes the answer with torch, rather than re-typing the question's formula.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

DT = torch.float64


def _two_token_dist(p_a: float) -> torch.Tensor:
    return torch.tensor([p_a, 1.0 - p_a], dtype=DT)


# --- llm-distillation -------------------------------------------------------------------------


def llm_reverse_kl_two_tokens(params: dict[str, float]) -> float:
    """KL(Q || P) with F.kl_div: input = log P (the reference in log space), target = Q."""
    p = _two_token_dist(params["p"])
    q = _two_token_dist(params["q"])
    return float(F.kl_div(p.log(), q, reduction="sum"))


def llm_masked_token_kl_mean(params: dict[str, float]) -> float:
    """Mean per-token KL over real tokens of a (2, 10) padded batch; pads hold garbage values."""
    length = 10
    n1, n2 = int(params["n1"]), int(params["n2"])
    kl = torch.full((2, length), 7.5, dtype=DT)  # garbage at padded positions
    mask = torch.zeros(2, length, dtype=DT)
    # Per-token KLs that are not constant but average exactly to k1 / k2.
    for row, (n, k) in enumerate(((n1, params["k1"]), (n2, params["k2"]))):
        wiggle = torch.linspace(-0.1, 0.1, n, dtype=DT) if n > 1 else torch.zeros(1, dtype=DT)
        kl[row, :n] = k + wiggle - wiggle.mean()
        mask[row, :n] = 1.0
    return float((kl * mask).sum() / mask.sum())


# --- compression ------------------------------------------------------------------------------


def compression_int8_dequantize(params: dict[str, float]) -> float:
    """Dequantize a stored uint8 value with torch's per-tensor affine quantized tensors."""
    s, z, q = params["s"], int(params["z"]), int(params["q"])
    stored = torch.tensor([q], dtype=torch.uint8)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            qt = torch._make_per_tensor_quantized_tensor(stored, s, z)
            return float(qt.dequantize().to(DT)[0])
    except (AttributeError, RuntimeError, NotImplementedError):  # quantized tensors removed
        return float((stored.to(DT) - z) * torch.tensor(s, dtype=DT))


def compression_int8_size_saving(params: dict[str, float]) -> float:
    """Bytes per element from torch dtypes, times the parameter count, in MB (1e6 bytes)."""
    n_params = params["n"] * 1e6
    fp32 = torch.empty(0, dtype=torch.float32).element_size()
    int8 = torch.empty(0, dtype=torch.int8).element_size()
    return n_params * (fp32 - int8) / 1e6


def compression_low_rank_ratio(params: dict[str, float]) -> float:
    """Parameter counts of a real nn.Linear and of its two-layer rank-r factorisation (meta device)."""
    m, n, r = int(params["m"]), int(params["n"]), int(params["r"])
    dense = nn.Linear(n, m, bias=False, device="meta")
    factorised = nn.Sequential(
        nn.Linear(n, r, bias=False, device="meta"),  # V: r x n
        nn.Linear(r, m, bias=False, device="meta"),  # U: m x r
    )
    count = lambda module: sum(p.numel() for p in module.parameters())  # noqa: E731
    return count(dense) / count(factorised)


# --- fusion-ensembles -------------------------------------------------------------------------


def fusion_weighted_prob_average(params: dict[str, float]) -> float:
    """Weighted average of three full (cat, not-cat) distributions with normalised weights."""
    probs = torch.stack([_two_token_dist(params[k]) for k in ("p1", "p2", "p3")])  # (3, 2)
    w = torch.tensor([params["w1"], params["w2"], params["w3"]], dtype=DT)
    fused = (w / w.sum()).unsqueeze(1).mul(probs).sum(dim=0)
    return float(fused[0])


def fusion_logit_vs_prob_gap(params: dict[str, float]) -> float:
    logits = torch.tensor([[params["a"], 0.0], [params["b"], 0.0]], dtype=DT)  # (M=2, C=2)
    logit_avg = torch.softmax(logits.mean(dim=0), dim=-1)
    prob_avg = torch.softmax(logits, dim=-1).mean(dim=0)
    return float(logit_avg[0] - prob_avg[0])


# --- evaluation-debugging ---------------------------------------------------------------------


def eval_init_ce_log_c(params: dict[str, float]) -> float:
    c = int(params["c"])
    batch = 64
    logits = torch.zeros(batch, c, dtype=DT)  # uniform predictions
    targets = torch.randint(0, c, (batch,))
    return float(F.cross_entropy(logits, targets))


def eval_min_agreement(params: dict[str, float]) -> float:
    """Build the worst case: overlap of correct sets as small as possible, wrong answers differ."""
    n = 1000
    n_classes = 10
    ta, sa = int(params["ta"]), int(params["sa"])
    t_correct = round(n * ta / 100)
    s_correct = round(n * sa / 100)
    labels = torch.zeros(n, dtype=torch.long)
    teacher = torch.full((n,), 1, dtype=torch.long)  # wrong answers: class 1
    student = torch.full((n,), 2, dtype=torch.long)  # wrong answers: class 2
    teacher[:t_correct] = 0  # teacher right on the first examples
    student[n - s_correct :] = 0  # student right on the last examples
    assert int(teacher.max()) < n_classes and int(student.max()) < n_classes
    assert int((teacher == labels).sum()) == t_correct
    assert int((student == labels).sum()) == s_correct
    return float((teacher == student).to(DT).mean() * 100)


def eval_ece_small_example(params: dict[str, float]) -> float:
    conf = torch.tensor([0.95] * 4 + [0.65] * 6, dtype=DT)
    correct = torch.tensor([1, 1, 1, 0] + [1, 1, 1, 0, 0, 0], dtype=DT)
    n_bins = 10
    edges = torch.linspace(0, 1, n_bins + 1, dtype=DT)
    ece = torch.zeros((), dtype=DT)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (conf > lo) & (conf <= hi)
        if in_bin.any():
            weight = in_bin.to(DT).mean()
            ece += weight * (correct[in_bin].mean() - conf[in_bin].mean()).abs()
    return float(ece)


CHECKS: dict[str, Callable[[dict[str, float]], float]] = {
    "llm-reverse-kl-two-tokens": llm_reverse_kl_two_tokens,
    "llm-masked-token-kl-mean": llm_masked_token_kl_mean,
    "compression-int8-dequantize": compression_int8_dequantize,
    "compression-int8-size-saving": compression_int8_size_saving,
    "compression-low-rank-ratio": compression_low_rank_ratio,
    "fusion-weighted-prob-average": fusion_weighted_prob_average,
    "fusion-logit-vs-prob-gap": fusion_logit_vs_prob_gap,
    "eval-init-ce-log-c": eval_init_ce_log_c,
    "eval-min-agreement": eval_min_agreement,
    "eval-ece-small-example": eval_ece_small_example,
}
