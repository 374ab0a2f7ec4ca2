"""Hidden suite for dist_loss: DIST (Huang et al., NeurIPS 2022), beta * inter + gamma * intra.

The reference follows the authors' `DIST` module (hunto/image_classification_sota,
lib/models/losses/dist_kd.py) in every convention: softmax at tau, Pearson correlation as the
cosine of mean-centred vectors with eps = 1e-8 on the product of the norms, both relations as
1 - mean correlation, times tau². Random batches have at least 3 rows: with 2 rows every
per-class correlation is ±1 and the intra-class term cannot tell a right solution from many
wrong ones. Inputs come from the fresh ``seeds`` of each grading plus fixed edge cases.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_float,
    expect_raises,
    expect_tensor,
    fail,
    seeded,
)

# The loss is O(0.01)-O(100) (tau² up to 64); gradients are O(tau² / B).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-5, 1e-4
TAUS = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0)

Pair = tuple[torch.Tensor, torch.Tensor]


def _pair(seed: int, B: int | None = None, C: int | None = None, scale: float = 3.0) -> Pair:
    """Random (student logits, teacher logits); B in [3, 16] and C in [3, 12] unless given."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(3, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 13, (1,), generator=g))
    return torch.randn(B, C, generator=g) * scale, torch.randn(B, C, generator=g) * scale


def _draw_hyper(seed: int) -> tuple[float, float, float]:
    """beta and gamma in [0.5, 3] (never equal), tau from TAUS."""
    g = seeded(seed + 1)
    beta = 0.5 + 0.25 * int(torch.randint(0, 11, (1,), generator=g))
    gamma = 0.5 + 0.25 * int(torch.randint(0, 11, (1,), generator=g))
    if gamma == beta:
        gamma += 1.0
    tau = TAUS[int(torch.randint(0, len(TAUS), (1,), generator=g))]
    return beta, gamma, tau


def _case(s: torch.Tensor, beta: float, gamma: float, tau: float) -> str:
    return f"B={s.shape[0]}, C={s.shape[1]}, beta={beta:g}, gamma={gamma:g}, tau={tau:g}"


def _ref_value(reference: Any, pair: Pair, beta: float, gamma: float, tau: float) -> torch.Tensor:
    s, t = (x.clone() for x in pair)
    with torch.no_grad():
        return reference.dist_loss(s, t, beta, gamma, tau)


def _ref_grad(reference: Any, pair: Pair, beta: float, gamma: float, tau: float) -> torch.Tensor:
    s, t = (x.clone() for x in pair)
    s.requires_grad_(True)
    reference.dist_loss(s, t, beta, gamma, tau).backward()
    assert s.grad is not None
    return s.grad


def _expect_value(
    submission: Any,
    reference: Any,
    pair: Pair,
    beta: float,
    gamma: float,
    tau: float,
    case: str | Case | None = None,
) -> None:
    got = submission.dist_loss(*pair, beta=beta, gamma=gamma, tau=tau)
    want = _ref_value(reference, pair, beta, gamma, tau)
    shown = case if case is not None else _case(pair[0], beta, gamma, tau)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=shown)


def _expect_gradient(
    submission: Any,
    reference: Any,
    pair: Pair,
    beta: float,
    gamma: float,
    tau: float,
    case: str | Case,
) -> None:
    result = submission.dist_loss.call(*pair, beta, gamma, tau, grad_of=[0])
    grad = result.grads.get(0)
    if grad is None:
        en, zh = (case.en, case.zh) if isinstance(case, Case) else (case, case)
        fail(
            f"no gradient reached the student's logits on {en}",
            f"没有梯度传到学生的 logits（{zh}）",
        )
    if type(grad) is torch.Tensor and not bool(torch.isfinite(grad).all()):
        en, zh = (case.en, case.zh) if isinstance(case, Case) else (case, case)
        fail(
            f"the gradient w.r.t. the student's logits contains inf or NaN on {en}",
            f"对学生 logits 的梯度中含有 inf 或 NaN（{zh}）",
        )
    expect_close(
        grad,
        _ref_grad(reference, pair, beta, gamma, tau),
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=case,
        what="the gradient w.r.t. the student's logits",
        what_zh="对学生 logits 的梯度",
    )


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    pair = _pair(seeds[0], B=8, C=10)
    got = submission.dist_loss(*pair, beta=1.0, gamma=1.0, tau=1.0)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(pair[0], 1.0, 1.0, 1.0))


@pytest.mark.feedback(
    en="check each part: softmax at tau for both networks, Pearson (centred, then cosine) per "
    "sample and per class, 1 − the mean correlation, beta and gamma, × tau²",
    zh="逐项检查：两个网络都在 tau 下做 softmax，按样本和按类别计算 Pearson（先中心化再求余弦），"
    "1 − 平均相关系数，beta 与 gamma，再乘以 tau²",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random batches, weights and temperatures

    zh: 在随机的 batch、权重和温度下与参考答案一致
    """
    for seed in seeds:
        _expect_value(submission, reference, _pair(seed), *_draw_hyper(seed))


@pytest.mark.feedback(
    en="the defaults are the authors' DIST module's: beta=1.0, gamma=1.0, tau=1.0",
    zh="默认值与作者的 DIST 模块相同：beta=1.0、gamma=1.0、tau=1.0",
    hint=2,
)
def test_default_hyperparameters(submission: Any, seeds: list[int]) -> None:
    """The defaults are beta = 1, gamma = 1, tau = 1

    zh: 默认值为 beta = 1、gamma = 1、tau = 1
    """
    pair = _pair(seeds[0], B=6, C=10)
    case = _case(pair[0], 1.0, 1.0, 1.0)
    explicit = submission.dist_loss(*pair, beta=1.0, gamma=1.0, tau=1.0)
    expect_tensor(explicit, shape=(), dtype=torch.float32, case=case)
    got = submission.dist_loss(*pair)
    expect_close(
        got,
        explicit,
        atol=1e-6,
        rtol=1e-6,
        case=Case(
            f"{case} given explicitly vs. left to the defaults",
            f"{case}，显式传入与使用默认值相比",
        ),
    )


@pytest.mark.feedback(
    en="with gamma = 0 only the inter-class relation remains: for each sample, the Pearson "
    "correlation across the classes of the two softmax predictions (probabilities, centred over "
    "the classes), then 1 − their mean over the batch",
    zh="gamma = 0 时只剩类间关系：对每个样本，在类别维度上计算两个 softmax 预测（概率，在类别上中心化）"
    "的 Pearson 相关系数，再取 1 − 它们在 batch 上的平均",
    hint=1,
)
def test_inter_class_relation(submission: Any, reference: Any, seeds: list[int]) -> None:
    """beta weighs the inter-class relation (gamma = 0 leaves it alone)

    zh: beta 加权类间关系（gamma = 0 时只剩这一项）
    """
    for seed, beta in zip(seeds[:2], (1.0, 2.0), strict=True):
        _expect_value(submission, reference, _pair(seed, B=6, C=8), beta, 0.0, 1.0)


@pytest.mark.feedback(
    en="with beta = 0 only the intra-class relation remains: for each class, the Pearson "
    "correlation across the batch (the same computation on the transposed (C, B) matrices), "
    "then 1 − their mean over the classes",
    zh="beta = 0 时只剩类内关系：对每个类别，在 batch 维度上计算 Pearson 相关系数（即在转置后的 (C, B) "
    "矩阵上做同样的计算），再取 1 − 它们在类别上的平均",
    hint=1,
)
def test_intra_class_relation(submission: Any, reference: Any, seeds: list[int]) -> None:
    """gamma weighs the intra-class relation (beta = 0 leaves it alone)

    zh: gamma 加权类内关系（beta = 0 时只剩这一项）
    """
    for seed, gamma in zip(seeds[:2], (1.0, 2.0), strict=True):
        _expect_value(submission, reference, _pair(seed, B=7, C=5), 0.0, gamma, 1.0)


@pytest.mark.feedback(
    en="if the tau = 1 tests pass: both networks' logits are divided by tau before the softmax, "
    "and both relations are multiplied by tau²",
    zh="如果 tau = 1 的测试都通过了：两个网络的 logits 都要先除以 tau 再做 softmax，两种关系都要乘以 tau²",
    hint=2,
)
def test_temperature(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Right at tau = 2 and tau = 4 (both softened, scaled by tau²)

    zh: tau = 2 和 tau = 4 时正确（两者都软化，并乘以 tau²）
    """
    for seed, tau in zip(seeds[:2], (2.0, 4.0), strict=True):
        _expect_value(submission, reference, _pair(seed, B=8, C=10), 1.0, 1.0, tau)


@pytest.mark.feedback(
    en="a perfect correlation is 1 in both relations, so identical predictions give 0: are "
    "the student and the teacher treated the same way?",
    zh="两种关系中完全相关都等于 1，所以预测相同时结果为 0：学生和教师的处理方式一样吗？",
    hint=1,
)
def test_identical_logits_give_zero(submission: Any, seeds: list[int]) -> None:
    """Identical student and teacher give 0

    zh: 学生与教师相同时结果为 0
    """
    s, _ = _pair(seeds[0], B=6, C=7)
    got = submission.dist_loss(s, s.clone(), beta=1.0, gamma=2.0, tau=4.0)
    case = _case(s, 1.0, 2.0, 4.0)
    expect_float(
        got,
        0.0,
        atol=1e-4,
        rtol=0.0,
        case=Case(f"{case}, teacher = student", f"{case}，教师 = 学生"),
    )


@pytest.mark.feedback(
    en="with one sample every class's value equals its batch mean: the centred vectors are 0, "
    "the authors' eps (added to the product of the norms) makes that correlation 0, not 0/0, "
    "and the norm of a zero vector must have a finite gradient",
    zh="只有一个样本时，每个类别的值都等于它在 batch 上的均值：中心化后的向量为 0，作者加在两个范数"
    "乘积上的 eps 让这时的相关系数为 0，而不是 0/0；零向量的范数的梯度也必须是有限值",
    hint=3,
)
def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A batch of one: finite and right (the intra-class correlations are 0)

    zh: batch 大小为 1：结果是有限值且正确（类内相关系数为 0）
    """
    pair = _pair(seeds[0], B=1, C=10)
    beta, gamma, tau = _draw_hyper(seeds[0])
    _expect_value(submission, reference, pair, beta, gamma, tau)
    case = Case(
        f"{_case(pair[0], beta, gamma, tau)}, a batch of one",
        f"{_case(pair[0], beta, gamma, tau)}，batch 大小为 1",
    )
    _expect_gradient(submission, reference, pair, beta, gamma, tau, case)


@pytest.mark.feedback(
    en="a teacher row whose logits are all equal predicts the uniform distribution, a constant "
    "vector: its correlation must come out 0 (eps on the product of the norms), value and "
    "gradient finite",
    zh="教师某一行的 logits 全部相等时，它预测的是均匀分布，是一个常数向量：它的相关系数应为 0"
    "（eps 加在两个范数的乘积上），数值和梯度都必须是有限值",
    hint=3,
)
def test_uniform_teacher_row(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A teacher row with equal logits (a uniform prediction): finite and right

    zh: 教师某一行的 logits 全部相等（预测为均匀分布）：结果是有限值且正确
    """
    s, t = _pair(seeds[0], B=6, C=8)
    t[2] = 1.5
    case = Case(
        f"{_case(s, 1.0, 1.0, 2.0)}, one teacher row with equal logits",
        f"{_case(s, 1.0, 1.0, 2.0)}，教师有一行 logits 全部相等",
    )
    _expect_value(submission, reference, (s, t), 1.0, 1.0, 2.0, case)
    _expect_gradient(submission, reference, (s, t), 1.0, 1.0, 2.0, case)


# --- Gradients ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the gradient follows from the value; check that nothing on the student's side is "
    "detached or computed without autograd",
    zh="梯度由数值决定；检查学生这一侧有没有被 detach，或在不记录梯度的情况下计算",
    hint=2,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's logits is right

    zh: 对学生 logits 的梯度正确
    """
    for seed in seeds[:2]:
        pair = _pair(seed, B=6, C=8)
        beta, gamma, tau = _draw_hyper(seed)
        _expect_gradient(
            submission, reference, pair, beta, gamma, tau, _case(pair[0], beta, gamma, tau)
        )


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (or compute its predictions under "
    "torch.no_grad()) inside the loss",
    zh="教师是固定的目标：在损失函数内部 detach 它的 logits（或在 torch.no_grad() 下计算它的预测）",
    hint=1,
)
def test_teacher_gets_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's logits receive no gradient

    zh: 教师的 logits 没有得到梯度
    """
    pair = _pair(seeds[0], B=6, C=8)
    result = submission.dist_loss.call(*pair, 1.0, 1.0, 4.0, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        case = _case(pair[0], 1.0, 1.0, 4.0)
        fail(
            f"the teacher's logits received a gradient on {case}",
            f"教师的 logits 得到了梯度（{case}）",
        )


# --- Arguments ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="both relations need the same (B, C) shape on both sides: check the shapes and raise "
    "ValueError instead of letting broadcasting reuse one teacher row for every sample",
    zh="两种关系都要求两边的形状同为 (B, C)：先检查形状并抛出 ValueError，不要让广播把同一行教师输出"
    "用于每个样本",
    hint=2,
)
def test_mismatched_shapes_raise(submission: Any, seeds: list[int]) -> None:
    """Mismatched shapes raise ValueError

    zh: 形状不一致时抛出 ValueError
    """
    s, t = _pair(seeds[0], B=5, C=6)
    expect_raises(
        submission.dist_loss,
        "ValueError",
        s,
        t[:1],
        case=Case("student (5, 6), teacher (1, 6)", "学生 (5, 6)，教师 (1, 6)"),
    )
    wide = torch.randn(5, 7, generator=seeded(seeds[1]))
    expect_raises(
        submission.dist_loss,
        "ValueError",
        s,
        wide,
        case=Case("student (5, 6), teacher (5, 7)", "学生 (5, 6)，教师 (5, 7)"),
    )
