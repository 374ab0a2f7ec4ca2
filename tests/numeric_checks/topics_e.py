"""Independent torch checks for the numeric questions of llm-at-scale, generative-models and
theory-safety.

Each check builds the actual objects (distributions, mixtures, layers on the meta device, sampler
step schedules, softmax outputs) and computes the answer with torch, without reusing the
question's formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

DT = torch.float64


def _dist(*probs: float) -> torch.Tensor:
    t = torch.tensor(probs, dtype=DT)
    assert torch.all(t >= -1e-12) and abs(float(t.sum()) - 1.0) < 1e-9, probs
    return t.clamp_min(0.0)


# --- llm-at-scale -----------------------------------------------------------------------------


def llmscale_skew_kl_two_tokens(params: dict[str, float]) -> float:
    """KL(P || aP + (1-a)Q) with F.kl_div on the explicit mixture distribution."""
    p = _dist(params["p"], 1 - params["p"])
    q = _dist(params["q"], 1 - params["q"])
    a = params["a"]
    mixture = a * p + (1 - a) * q
    return float(F.kl_div(mixture.log(), p, reduction="sum"))


def llmscale_uld_sorted_distance(params: dict[str, float]) -> float:
    """Sort both distributions (descending), zero-pad the shorter, sum of absolute differences."""
    a, b, s = params["a"], params["b"], params["s"]
    teacher = _dist(a, b, 1 - a - b)
    student = _dist(s, 1 - s)
    teacher = teacher.sort(descending=True).values
    student = F.pad(student.sort(descending=True).values, (0, teacher.numel() - student.numel()))
    return float((teacher - student).abs().sum())


def llmscale_speculative_acceptance(params: dict[str, float]) -> float:
    """E_{x~q}[min(1, p(x)/q(x))], computed as an expectation under the draft distribution."""
    p = _dist(params["p1"], params["p2"], 1 - params["p1"] - params["p2"])
    q = _dist(params["q1"], params["q2"], 1 - params["q1"] - params["q2"])
    ratio = torch.where(q > 0, p / q.clamp_min(1e-300), torch.zeros_like(q))
    return float((q * torch.clamp(ratio, max=1.0)).sum())


def llmscale_speculative_expected_tokens(params: dict[str, float]) -> float:
    """Distribution of the number of accepted draft tokens (0..gamma), plus the target's token."""
    gamma, alpha = int(params["g"]), params["a"]
    k = torch.arange(gamma + 1, dtype=DT)
    probs = alpha**k * (1 - alpha)  # first rejection after exactly k acceptances
    probs[-1] = alpha**gamma  # all gamma drafts accepted
    assert abs(float(probs.sum()) - 1.0) < 1e-9
    return float((probs * (k + 1)).sum())


def _gated_mlp_params(d: int, f: int) -> int:
    mlp = nn.ModuleDict(
        {
            "gate": nn.Linear(d, f, bias=False, device="meta"),
            "up": nn.Linear(d, f, bias=False, device="meta"),
            "down": nn.Linear(f, d, bias=False, device="meta"),
        }
    )
    return sum(p.numel() for p in mlp.parameters())


def llmscale_mlp_pruning_params(params: dict[str, float]) -> float:
    layers, d = int(params["L"]), int(params["d"])
    before = _gated_mlp_params(d, int(params["f1"]))
    after = _gated_mlp_params(d, int(params["f2"]))
    return layers * (before - after) / 1e9


CHECKS: dict[str, Callable[[dict[str, float]], float]] = {
    # llm-at-scale
    "llmscale-skew-kl-two-tokens": llmscale_skew_kl_two_tokens,
    "llmscale-uld-sorted-distance": llmscale_uld_sorted_distance,
    "llmscale-speculative-acceptance": llmscale_speculative_acceptance,
    "llmscale-speculative-expected-tokens": llmscale_speculative_expected_tokens,
    "llmscale-mlp-pruning-params": llmscale_mlp_pruning_params,
}


# --- generative-models ------------------------------------------------------------------------


def gen_progressive_rounds(params: dict[str, float]) -> float:
    """Run the halving schedule: each round distils two teacher steps into one student step."""
    steps, target = torch.tensor(int(params["N"])), int(params["M"])
    rounds = 0
    while int(steps) > target:
        teacher_grid = torch.linspace(1.0, 0.0, int(steps) + 1, dtype=DT)
        student_grid = teacher_grid[::2]  # one student step spans two teacher steps
        steps = torch.tensor(student_grid.numel() - 1)
        rounds += 1
    assert int(steps) == target
    return float(rounds)


class _CountingDenoiser(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return 0.5 * x


def gen_guided_distillation_nfe(params: dict[str, float]) -> float:
    """Count network calls of a guided teacher sampler and of the distilled student sampler."""
    n_teacher, n_student = int(params["N"]), int(params["M"])
    cond, uncond, student = _CountingDenoiser(), _CountingDenoiser(), _CountingDenoiser()
    x, w = torch.ones(2, dtype=DT), 3.0
    for _ in range(n_teacher):  # classifier-free guidance: both models every step
        x = x - 0.01 * ((1 + w) * cond(x) - w * uncond(x))
    y = torch.ones(2, dtype=DT)
    for _ in range(n_student):  # guidance strength is an input; one evaluation per step
        y = y - 0.01 * student(y)
    return (cond.calls + uncond.calls) / student.calls


CHECKS.update(
    {
        "gen-progressive-rounds": gen_progressive_rounds,
        "gen-guided-distillation-nfe": gen_guided_distillation_nfe,
    }
)


def gen_dmd_regression_dataset_cost(params: dict[str, float]) -> float:
    """Generate a (small, scaled) dataset with a counting guided sampler and scale the count."""
    pairs, steps = int(params["P"]) * 1000, int(params["N"])
    cond, uncond = _CountingDenoiser(), _CountingDenoiser()
    sample_pairs = 10
    for _ in range(sample_pairs):
        x = torch.randn(3, dtype=DT)
        for _ in range(steps):
            x = x - 0.01 * (2.0 * cond(x) - uncond(x))
    per_pair = (cond.calls + uncond.calls) / sample_pairs
    return pairs * per_pair / 1e6


CHECKS["gen-dmd-regression-dataset-cost"] = gen_dmd_regression_dataset_cost


# --- theory-safety ----------------------------------------------------------------------------


def theory_learning_rate_sample_size(params: dict[str, float]) -> float:
    """Smallest n on a fine grid where C / n**alpha <= eps, refined by bisection in float64."""
    c, alpha, eps = params["C"], params["a"], params["eps"]
    lo, hi = torch.tensor(1.0, dtype=DT), torch.tensor(1e9, dtype=DT)
    for _ in range(200):
        mid = (lo + hi) / 2
        if float(c / mid**alpha) > eps:
            lo = mid
        else:
            hi = mid
    return float(hi)


def theory_label_variance(params: dict[str, float]) -> float:
    """Variance over y ~ Bernoulli(eta) of the per-example log-loss, from the two outcomes."""
    eta, f = params["eta"], params["f"]
    logits = torch.tensor([[math.log(f / (1 - f)), 0.0]], dtype=DT).repeat(2, 1)
    labels = torch.tensor([0, 1])  # class 0 = "y = 1" (prob f), class 1 = "y = 0"
    losses = F.cross_entropy(logits, labels, reduction="none")
    weights = torch.tensor([eta, 1 - eta], dtype=DT)
    mean = (weights * losses).sum()
    return float((weights * (losses - mean) ** 2).sum())


def theory_defensive_saturation(params: dict[str, float]) -> float:
    """Recover the logit gap at temperature T from p, then log10 of the minority prob at T = 1."""
    temp, p = params["T"], params["p"]
    target = torch.tensor([p, 1 - p], dtype=DT)
    # logits whose softmax at temperature T is `target` (up to a shift): z = T * log(target)
    logits = temp * target.log()
    assert torch.allclose(F.softmax(logits / temp, dim=-1), target)
    return float(F.log_softmax(logits, dim=-1)[1] / math.log(10))


def theory_images_per_class(params: dict[str, float]) -> float:
    """Build CIFAR-like labels, keep `ipc` indices per class, and count them."""
    classes, ipc, n = int(params["C"]), int(params["ipc"]), 50_000
    labels = torch.arange(n) % classes
    kept = torch.cat([torch.nonzero(labels == c).flatten()[:ipc] for c in range(classes)])
    return kept.numel() / n * 100


CHECKS.update(
    {
        "theory-learning-rate-sample-size": theory_learning_rate_sample_size,
        "theory-label-variance": theory_label_variance,
        "theory-defensive-saturation": theory_defensive_saturation,
        "theory-images-per-class": theory_images_per_class,
    }
)
