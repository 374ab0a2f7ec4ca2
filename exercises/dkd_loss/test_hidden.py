"""Hidden suite for dkd_loss: Decoupled KD (Zhao et al., 2022), alpha * TCKD + beta * NCKD.

The reference follows the authors' dkd_loss (megvii-research/mdistiller) in every convention, but
computes in log space. In ordinary regimes the two agree to float32 precision; with saturated
logits (±50 to ±100 at T = 1) the authors' log of summed probabilities gives NaN gradients, and a
teacher-side p · log p of an underflowed probability a NaN value, which the last tests reject.
Inputs come from the fresh ``seeds`` of each grading plus fixed edge cases.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_float, expect_tensor, fail, seeded

# The loss is O(0.1)-O(1000); gradients are O(T^2 / B).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-5, 1e-4

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


def _batch(seed: int, B: int | None = None, C: int | None = None, scale: float = 3.0) -> Batch:
    """Random (student logits, teacher logits, targets); B and C are drawn unless given."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 13, (1,), generator=g))
    student = torch.randn(B, C, generator=g) * scale
    teacher = torch.randn(B, C, generator=g) * scale
    target = torch.randint(0, C, (B,), generator=g)
    return student, teacher, target


def _draw_hyper(seed: int) -> tuple[float, float, float]:
    """alpha in [0.5, 2], beta in [1, 10] (never equal to alpha), T in [1, 8] (step 0.5)."""
    g = seeded(seed + 1)
    alpha = 0.5 + 0.25 * int(torch.randint(0, 7, (1,), generator=g))
    beta = 1.0 + 0.5 * int(torch.randint(0, 19, (1,), generator=g))
    if beta == alpha:
        beta += 2.0
    T = 1.0 + 0.5 * int(torch.randint(0, 15, (1,), generator=g))
    return alpha, beta, T


def _case(s: torch.Tensor, alpha: float, beta: float, T: float, extra: Case | None = None) -> Case:
    text = f"B={s.shape[0]}, C={s.shape[1]}, alpha={alpha:g}, beta={beta:g}, T={T:g}"
    if extra is None:
        return Case(text, text)
    return Case(f"{text}, {extra.en}", f"{text}，{extra.zh}")


def _ref_value(reference: Any, batch: Batch, alpha: float, beta: float, T: float) -> torch.Tensor:
    s, t, y = (x.clone() for x in batch)
    with torch.no_grad():
        return reference.dkd_loss(s, t, y, alpha, beta, T)


def _ref_grad(reference: Any, batch: Batch, alpha: float, beta: float, T: float) -> torch.Tensor:
    s, t, y = (x.clone() for x in batch)
    s.requires_grad_(True)
    reference.dkd_loss(s, t, y, alpha, beta, T).backward()
    assert s.grad is not None
    return s.grad


def _expect_value(
    submission: Any,
    reference: Any,
    batch: Batch,
    alpha: float,
    beta: float,
    T: float,
    extra: Case | None = None,
) -> None:
    got = submission.dkd_loss(*batch, alpha=alpha, beta=beta, temperature=T)
    want = _ref_value(reference, batch, alpha, beta, T)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(batch[0], alpha, beta, T, extra))


def _saturated(seed: int, magnitude: float = 50.0) -> Batch:
    """Logits of ±magnitude (T = 1 saturates the softmax). Even rows: the student is sure of the
    target and the teacher of a wrong class; odd rows: the other way round."""
    g = seeded(seed)
    B = 4
    C = int(torch.randint(3, 11, (1,), generator=g))
    target = torch.randint(0, C, (B,), generator=g)
    wrong = (target + torch.randint(1, C, (B,), generator=g)) % C
    rows = torch.arange(B)
    even = rows % 2 == 0
    student = torch.full((B, C), -magnitude)
    teacher = torch.full((B, C), -magnitude)
    student[rows, torch.where(even, target, wrong)] = magnitude
    teacher[rows, torch.where(even, wrong, target)] = magnitude
    return student, teacher, target


def _saturated_teacher(seed: int, magnitude: float = 100.0) -> Batch:
    """An ordinary student (logits of scale ~3) and a teacher with one logit at +magnitude and
    one at −magnitude in every row (T = 1): only the teacher's probabilities underflow. Even rows:
    the teacher is sure of the target; odd rows: of a wrong class, with the target at −magnitude."""
    g = seeded(seed)
    B = 4
    C = int(torch.randint(4, 11, (1,), generator=g))
    student = 3.0 * torch.randn(B, C, generator=g)
    teacher = 3.0 * torch.randn(B, C, generator=g)
    target = torch.randint(0, C, (B,), generator=g)
    wrong = (target + torch.randint(1, C, (B,), generator=g)) % C
    rows = torch.arange(B)
    even = rows % 2 == 0
    teacher[rows, torch.where(even, target, wrong)] = magnitude
    teacher[rows, torch.where(even, wrong, target)] = -magnitude
    return student, teacher, target


def _expect_value_and_gradient(
    submission: Any, reference: Any, batch: Batch, alpha: float, beta: float, T: float, case: Case
) -> None:
    """Value and student gradient both finite and equal to the reference's."""
    result = submission.dkd_loss.call(*batch, alpha, beta, T, grad_of=[0])
    want = _ref_value(reference, batch, alpha, beta, T)
    expect_close(result.value, want, atol=ATOL, rtol=RTOL, case=case)
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's logits on {case.en}",
            f"没有梯度传到学生的 logits（{case.zh}）",
        )
    expect_close(
        grad,
        _ref_grad(reference, batch, alpha, beta, T),
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=case,
        what="the gradient w.r.t. the student's logits",
        what_zh="对学生 logits 的梯度",
    )


# --- The value --------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    batch = _batch(seeds[0], B=8, C=10)
    got = submission.dkd_loss(*batch, alpha=1.0, beta=8.0, temperature=4.0)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(batch[0], 1.0, 8.0, 4.0))


@pytest.mark.feedback(
    en="check each part: TCKD on [p_target, 1 - p_target], NCKD on the non-target classes "
    "renormalised, both KL(teacher ‖ student), × T², summed and divided by the batch size",
    zh="逐项检查：TCKD 用 [p_target, 1 − p_target]，NCKD 用重新归一化后的非目标类别分布，"
    "两者都以教师为目标（KL(teacher ‖ student)），乘以 T²，求和后除以批大小",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random batches, weights and temperatures

    zh: 在随机的批数据、权重和温度下与参考实现一致
    """
    for seed in seeds:
        batch = _batch(seed)
        _expect_value(submission, reference, batch, *_draw_hyper(seed))


@pytest.mark.feedback(
    en="the defaults are mdistiller's: alpha=1.0, beta=8.0, temperature=4.0",
    zh="默认值与 mdistiller 相同：alpha=1.0、beta=8.0、temperature=4.0",
    hint=2,
)
def test_default_hyperparameters(submission: Any, seeds: list[int]) -> None:
    """The defaults are alpha = 1, beta = 8, T = 4

    zh: 默认值为 alpha = 1、beta = 8、T = 4
    """
    batch = _batch(seeds[0], B=6, C=10)
    case = _case(batch[0], 1.0, 8.0, 4.0)
    explicit = submission.dkd_loss(*batch, alpha=1.0, beta=8.0, temperature=4.0)
    expect_tensor(explicit, shape=(), dtype=torch.float32, case=case)
    got = submission.dkd_loss(*batch)
    expect_close(
        got,
        explicit,
        atol=1e-6,
        rtol=1e-6,
        case=Case(
            f"{case.en} given explicitly vs. left to the defaults",
            f"{case.zh}，显式传入与使用默认值相比",
        ),
    )


@pytest.mark.feedback(
    en="with beta = 0 only alpha · TCKD remains: the KL between the binary distributions "
    "[p_target, 1 - p_target] of teacher and student, × T², divided by the batch size",
    zh="beta = 0 时只剩 alpha · TCKD：教师与学生的二元分布 [p_target, 1 − p_target] 之间的 KL，"
    "乘以 T²，再除以批大小",
    hint=1,
)
def test_alpha_weighs_tckd(submission: Any, reference: Any, seeds: list[int]) -> None:
    """alpha weighs TCKD (beta = 0 leaves TCKD alone)

    zh: alpha 加权 TCKD（beta = 0 时只剩 TCKD）
    """
    for seed, (alpha, T) in zip(seeds[:2], ((1.0, 4.0), (2.0, 2.0)), strict=True):
        batch = _batch(seed, B=6, C=8)
        _expect_value(submission, reference, batch, alpha, 0.0, T)


@pytest.mark.feedback(
    en="with alpha = 0 only beta · NCKD remains: the KL between the distributions over the "
    "non-target classes, with the target masked out BEFORE the softmax (so they sum to 1)",
    zh="alpha = 0 时只剩 beta · NCKD：非目标类别上两个分布之间的 KL；目标类要在 softmax 之前"
    "屏蔽掉（这样分布的和才为 1）",
    hint=3,
)
def test_beta_weighs_nckd(submission: Any, reference: Any, seeds: list[int]) -> None:
    """beta weighs NCKD (alpha = 0 leaves NCKD alone)

    zh: beta 加权 NCKD（alpha = 0 时只剩 NCKD）
    """
    for seed, (beta, T) in zip(seeds[:2], ((1.0, 4.0), (8.0, 1.0)), strict=True):
        batch = _batch(seed, B=6, C=8)
        _expect_value(submission, reference, batch, 0.0, beta, T)


@pytest.mark.feedback(
    en="both terms are KL divergences, 0 when the student equals the teacher: is the target "
    "handled the same way for both networks?",
    zh="两项都是 KL 散度，学生与教师相同时为 0：两个网络的目标类处理方式一样吗？",
    hint=1,
)
def test_identical_logits_give_zero(submission: Any, seeds: list[int]) -> None:
    """Identical student and teacher give 0

    zh: 学生与教师相同时结果为 0
    """
    for seed, B in zip(seeds[:2], (6, 1), strict=True):
        s, _, y = _batch(seed, B=B, C=7)
        got = submission.dkd_loss(s, s.clone(), y, alpha=1.0, beta=8.0, temperature=4.0)
        expect_float(
            got,
            0.0,
            atol=1e-4,
            rtol=0.0,
            case=_case(s, 1.0, 8.0, 4.0, Case("teacher = student", "教师与学生相同")),
        )


def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of 1

    zh: 批大小为 1 时也能正确计算
    """
    batch = _batch(seeds[0], B=1, C=10)
    _expect_value(submission, reference, batch, *_draw_hyper(seeds[0]))


_WHERE = {
    "first": Case("target = first class", "目标类是第一个类别"),
    "last": Case("target = last class", "目标类是最后一个类别"),
    "mixed": Case("targets mixed", "目标类各不相同"),
}


@pytest.mark.feedback(
    en="the target is the label of each row (`target`), not the teacher's top class; build the "
    "mask from it for every row",
    zh="目标类是每一行的标签（`target`），不是教师预测的最大类；每一行都要按它构造掩码",
    hint=3,
)
def test_target_positions(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Correct whether the target is the first class, the last, or mixed

    zh: 目标类是第一个类别、最后一个类别或各不相同时，结果都正确
    """
    for seed, where in zip(seeds[:3], ("first", "last", "mixed"), strict=True):
        s, t, y = _batch(seed, B=5, C=6)
        if where == "first":
            y = torch.zeros_like(y)
        elif where == "last":
            y = torch.full_like(y, 5)
        _expect_value(submission, reference, (s, t, y), 1.0, 8.0, 4.0, _WHERE[where])


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
        batch = _batch(seed, B=6, C=8)
        alpha, beta, T = _draw_hyper(seed)
        result = submission.dkd_loss.call(*batch, alpha, beta, T, grad_of=[0])
        grad = result.grads.get(0)
        case = _case(batch[0], alpha, beta, T)
        if grad is None:
            fail(
                f"no gradient reached the student's logits on {case.en}",
                f"没有梯度传到学生的 logits（{case.zh}）",
            )
        want = _ref_grad(reference, batch, alpha, beta, T)
        expect_close(
            grad,
            want,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="the gradient w.r.t. the student's logits",
            what_zh="对学生 logits 的梯度",
        )


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (or compute its probabilities under "
    "torch.no_grad()) inside the loss",
    zh="教师是固定的目标：在损失函数内部 detach 它的 logits（或在 torch.no_grad() 下计算它的概率）",
    hint=1,
)
def test_teacher_gets_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's logits receive no gradient

    zh: 教师的 logits 得不到梯度
    """
    batch = _batch(seeds[0], B=6, C=8)
    result = submission.dkd_loss.call(*batch, 1.0, 8.0, 4.0, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        case = _case(batch[0], 1.0, 8.0, 4.0)
        fail(
            f"the teacher's logits received a gradient on {case.en}",
            f"教师的 logits 得到了梯度（{case.zh}）",
        )


# --- Saturation ---------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="log(p) of a probability that underflowed is -inf, and the gradient of log at a tiny "
    "p overflows: get every log-probability from logsumexp / log_softmax of the logits, never "
    "from torch.log of a softmax or of a sum of probabilities",
    zh="对下溢成 0 的概率取 log 会得到 −inf，而 p 极小时 log 的梯度会溢出：所有对数概率都要由 logits "
    "经 logsumexp / log_softmax 得到，绝不要对 softmax 或概率之和调用 torch.log",
    hint=4,
)
def test_saturated_logits_stay_finite(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Value and gradient stay finite and right with saturated logits (±50 to ±100 at T = 1)

    zh: logits 饱和（T = 1 时为 ±50 到 ±100）时，数值和梯度仍有限且正确
    """
    for seed, magnitude in zip(seeds[:4], (50.0, 50.0, 60.0, 100.0), strict=True):
        batch = _saturated(seed, magnitude)
        case = _case(
            batch[0], 1.0, 8.0, 1.0, Case(f"logits ±{magnitude:g}", f"logits ±{magnitude:g}")
        )
        _expect_value_and_gradient(submission, reference, batch, 1.0, 8.0, 1.0, case)


@pytest.mark.feedback(
    en="the teacher's probabilities can underflow to exactly 0 while the student's are ordinary: "
    "p · log p is then 0 · (−inf) = NaN unless log p itself comes from the logits "
    "(logsumexp / log_softmax), never from torch.log of a probability",
    zh="学生的概率正常时，教师的概率也可能下溢成恰好为 0：这时 p · log p 就是 0 · (−inf) = NaN，"
    "除非 log p 本身由 logits 经 logsumexp / log_softmax 得到，而不是对概率调用 torch.log",
    hint=4,
)
def test_saturated_teacher_only(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Value and gradient stay finite and right when only the teacher saturates (±100 at T = 1)

    zh: 只有教师饱和（T = 1 时为 ±100）时，数值和梯度仍有限且正确
    """
    for seed in seeds[:2]:
        batch = _saturated_teacher(seed)
        case = _case(
            batch[0],
            1.0,
            8.0,
            1.0,
            Case(
                "ordinary student, teacher logits up to ±100",
                "学生 logits 正常，教师 logits 达到 ±100",
            ),
        )
        _expect_value_and_gradient(submission, reference, batch, 1.0, 8.0, 1.0, case)
