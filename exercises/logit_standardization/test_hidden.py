"""Hidden suite for logit_standardization: KD on z-scored logits (Sun et al., CVPR 2024).

The reference follows the authors' code (sunshangquan/logit-standardization-KD,
mdistiller/distillers/KD.py): `normalize` is (x − mean) / (1e-7 + std) over the last dimension
with torch.std's unbiased estimate, and the KD term is KL(teacher ‖ student) at the base
temperature, summed over the classes, averaged over the batch, times T². The first tests grade
`standardize_logits` alone (the mean subtraction, invisible to a softmax, is only checked there);
the others grade the loss. Student and teacher logits are drawn at different scales and offsets,
as a small student's and a large teacher's are. Inputs come from the fresh ``seeds`` of each
grading plus fixed edge cases.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_float,
    expect_tensor,
    fail,
    seeded,
)

# z-scores are O(1); the loss is O(0.01)-O(10); gradients O(T² / B).
Z_ATOL, Z_RTOL = 1e-5, 1e-4
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-5, 1e-4
TEMPERATURES = (1.0, 2.0, 3.0, 4.0, 6.0)

Pair = tuple[torch.Tensor, torch.Tensor]


def _logits(g: torch.Generator, *shape: int, scale: float, offset: float) -> torch.Tensor:
    return torch.randn(*shape, generator=g) * scale + offset


def _pair(seed: int, B: int | None = None, C: int | None = None) -> Pair:
    """Random (student, teacher) logits: B in [2, 16], C in [3, 12] unless given; the student's
    scale ~1-3, the teacher's ~4-10, each with its own offset."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 13, (1,), generator=g))
    s_scale = 1.0 + 2.0 * float(torch.rand(1, generator=g))
    t_scale = 4.0 + 6.0 * float(torch.rand(1, generator=g))
    s_offset, t_offset = (float(v) for v in torch.randn(2, generator=g) * 3)
    student = _logits(g, B, C, scale=s_scale, offset=s_offset)
    teacher = _logits(g, B, C, scale=t_scale, offset=t_offset)
    return student, teacher


def _temperature(seed: int) -> float:
    return TEMPERATURES[int(torch.randint(0, len(TEMPERATURES), (1,), generator=seeded(seed + 1)))]


def _case(s: torch.Tensor, T: float, extra: str = "") -> str:
    text = f"B={s.shape[0]}, C={s.shape[1]}, T={T:g}"
    return f"{text}, {extra}" if extra else text


def _ref_loss(reference: Any, pair: Pair, T: float) -> torch.Tensor:
    s, t = (x.clone() for x in pair)
    with torch.no_grad():
        return reference.standardized_kd_loss(s, t, T)


def _ref_grad(reference: Any, pair: Pair, T: float) -> torch.Tensor:
    s, t = (x.clone() for x in pair)
    s.requires_grad_(True)
    reference.standardized_kd_loss(s, t, T).backward()
    assert s.grad is not None
    return s.grad


def _expect_loss(
    submission: Any, reference: Any, pair: Pair, T: float, case: str | Case | None = None
) -> None:
    got = submission.standardized_kd_loss(*pair, temperature=T)
    want = _ref_loss(reference, pair, T)
    expect_close(
        got, want, atol=ATOL, rtol=RTOL, case=case if case is not None else _case(pair[0], T)
    )


def _expect_gradient(
    submission: Any, reference: Any, pair: Pair, T: float, case: str | Case
) -> None:
    en, zh = (case.en, case.zh) if isinstance(case, Case) else (case, case)
    result = submission.standardized_kd_loss.call(*pair, T, grad_of=[0])
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's logits on {en}",
            f"没有梯度传到学生的 logits（{zh}）",
        )
    expect_close(
        grad,
        _ref_grad(reference, pair, T),
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=case,
        what="the gradient w.r.t. the student's logits",
        what_zh="对学生 logits 的梯度",
    )


# --- standardize_logits -------------------------------------------------------------------------


def test_standardize_shape_and_dtype(submission: Any, seeds: list[int]) -> None:
    """standardize_logits returns a float32 tensor of the input's shape

    zh: standardize_logits 返回与输入形状相同的 float32 张量
    """
    x, _ = _pair(seeds[0], B=8, C=10)
    got = submission.standardize_logits(x)
    expect_tensor(got, shape=(8, 10), dtype=torch.float32, case="logits (8, 10)")


@pytest.mark.feedback(
    en="a z-score per row: subtract the row's mean over the classes, divide by eps plus the "
    "row's standard deviation, computed as torch.std computes it by default",
    zh="按行做 z-score：减去该行在类别上的均值，再除以 eps 加上该行的标准差（按 torch.std 的默认方式计算）",
    hint=2,
)
def test_standardize_values(submission: Any, reference: Any, seeds: list[int]) -> None:
    """standardize_logits matches the reference on random logits, also with a given eps

    zh: standardize_logits 在随机 logits 上与参考答案一致，传入 eps 时也一致
    """
    for seed in seeds[:3]:
        x, _ = _pair(seed)
        shape = f"logits {tuple(x.shape)}"
        expect_close(
            submission.standardize_logits(x),
            reference.standardize_logits(x.clone()),
            atol=Z_ATOL,
            rtol=Z_RTOL,
            case=shape,
        )
    x, _ = _pair(seeds[3], B=4, C=6)
    x = x / x.std() * 0.8  # a std of order 1, so that eps = 0.5 shows
    expect_close(
        submission.standardize_logits(x, eps=0.5),
        reference.standardize_logits(x.clone(), eps=0.5),
        atol=Z_ATOL,
        rtol=Z_RTOL,
        case="logits (4, 6), eps=0.5",
    )


@pytest.mark.feedback(
    en="standardise over the last dimension (the classes), whatever the number of leading "
    "dimensions",
    zh="在最后一维（类别）上做标准化，不管前面有几维",
    hint=2,
)
def test_standardize_leading_dimensions(submission: Any, reference: Any, seeds: list[int]) -> None:
    """standardize_logits works on (B, L, C) logits, over the last dimension

    zh: standardize_logits 适用于 (B, L, C) 的 logits，在最后一维上标准化
    """
    g = seeded(seeds[0])
    x = torch.randn(3, 5, 7, generator=g) * 4 + 1
    expect_close(
        submission.standardize_logits(x),
        reference.standardize_logits(x.clone()),
        atol=Z_ATOL,
        rtol=Z_RTOL,
        case="logits (3, 5, 7)",
    )


@pytest.mark.feedback(
    en="a row of equal logits has standard deviation 0: the eps in the denominator makes its "
    "z-scores 0, not 0/0",
    zh="logits 全部相等的一行标准差为 0：分母中的 eps 让它的 z-score 为 0，而不是 0/0",
    hint=3,
)
def test_standardize_constant_row(submission: Any, seeds: list[int]) -> None:
    """A row of equal logits standardises to zeros

    zh: logits 全部相等的一行标准化后全为 0
    """
    x, _ = _pair(seeds[0], B=4, C=6)
    x[1] = 2.5
    got = submission.standardize_logits(x)
    case = Case("logits (4, 6), row 1 all equal to 2.5", "logits (4, 6)，第 1 行全部等于 2.5")
    expect_tensor(got, shape=(4, 6), dtype=torch.float32, case=case)
    expect_close(
        got[1], torch.zeros(6), atol=1e-6, rtol=0.0, case=case, what="row 1", what_zh="第 1 行"
    )


@pytest.mark.feedback(
    en="the authors add eps to the standard deviation itself, (x − mean) / (eps + std): not "
    "inside a square root (as batch or layer norm do), and not as a lower bound (clamp)",
    zh="作者把 eps 直接加在标准差上，即 (x − mean) / (eps + std)：既不是加在平方根里面（batch norm 或 "
    "layer norm 的做法），也不是作为下界（clamp）",
    hint=3,
)
def test_standardize_tiny_variance(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Rows with a standard deviation of ~1e-6: the eps is added to the standard deviation

    zh: 标准差约为 1e-6 的行：eps 加在标准差上
    """
    g = seeded(seeds[0])
    x = torch.randn(3, 8, generator=g) * 1e-6
    expect_close(
        submission.standardize_logits(x),
        reference.standardize_logits(x.clone()),
        atol=1e-4,
        rtol=1e-3,
        case=Case("logits (3, 8) of magnitude 1e-6", "logits (3, 8)，量级为 1e-6"),
    )


# --- standardized_kd_loss -----------------------------------------------------------------------


def test_loss_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """standardized_kd_loss returns a 0-dim float32 tensor

    zh: standardized_kd_loss 返回 0 维 float32 张量
    """
    pair = _pair(seeds[0], B=8, C=10)
    got = submission.standardized_kd_loss(*pair, temperature=2.0)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(pair[0], 2.0))


@pytest.mark.feedback(
    en="check each step: z-score both networks' logits, then divide by T, softmax, "
    "KL(teacher ‖ student) summed over the classes and averaged over the batch, × T²",
    zh="逐步检查：两个网络的 logits 都先做 z-score，再除以 T、做 softmax，KL(教师 ‖ 学生) 对类别求和、"
    "对 batch 求平均，再乘以 T²",
    hint=2,
)
def test_loss_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """standardized_kd_loss matches the reference on random batches and temperatures

    zh: standardized_kd_loss 在随机 batch 和温度下与参考答案一致
    """
    for seed in seeds:
        pair = _pair(seed)
        _expect_loss(submission, reference, pair, _temperature(seed))


@pytest.mark.feedback(
    en="both networks are standardised: the loss cannot depend on each row's scale or offset, "
    "and a teacher that is an affine copy of the student gives 0",
    zh="两个网络都要标准化：损失不能依赖于每一行的尺度或偏移；教师是学生的仿射变换时，损失为 0",
    hint=1,
)
def test_loss_ignores_scale_and_offset(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The loss ignores each network's logit scale and offset (the point of the method)

    zh: 损失与每个网络 logits 的尺度和偏移无关（这正是该方法的要点）
    """
    s, t = _pair(seeds[0], B=6, C=8)
    scaled = (3.0 * s + 5.0, 0.25 * t - 2.0)
    _expect_loss(
        submission,
        reference,
        scaled,
        2.0,
        Case(
            f"{_case(s, 2.0)}, student ×3 + 5, teacher ×0.25 − 2",
            f"{_case(s, 2.0)}，学生 ×3 + 5，教师 ×0.25 − 2",
        ),
    )
    got = submission.standardized_kd_loss(s, 4.0 * s.clone() + 1.0, temperature=2.0)
    expect_float(
        got,
        0.0,
        atol=1e-5,
        rtol=0.0,
        case=Case(
            f"{_case(s, 2.0)}, teacher = 4 × student + 1", f"{_case(s, 2.0)}，教师 = 4 × 学生 + 1"
        ),
    )


@pytest.mark.feedback(
    en="the authors' base temperature is 2 (--base-temp 2 in every published run)",
    zh="作者的基础温度是 2（所有公开实验都用 --base-temp 2）",
    hint=2,
)
def test_loss_default_temperature(submission: Any, seeds: list[int]) -> None:
    """The default temperature is 2

    zh: 默认温度为 2
    """
    pair = _pair(seeds[0], B=6, C=10)
    case = _case(pair[0], 2.0)
    explicit = submission.standardized_kd_loss(*pair, temperature=2.0)
    expect_tensor(explicit, shape=(), dtype=torch.float32, case=case)
    expect_close(
        submission.standardized_kd_loss(*pair),
        explicit,
        atol=1e-6,
        rtol=1e-6,
        case=Case(
            f"{case} given explicitly vs. left to the default",
            f"{case}，显式传入与使用默认值相比",
        ),
    )


@pytest.mark.feedback(
    en="if T = 1 is right: divide the standardised logits by T (dividing the raw logits first "
    "is undone by the standardisation) and multiply the KL by T²",
    zh="如果 T = 1 时正确：要用标准化后的 logits 除以 T（先除原始 logits 会被标准化抵消），并把 KL 乘以 T²",
    hint=2,
)
def test_loss_temperature(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Right at T = 1, T = 3 and T = 6 (T after the z-score, and T²)

    zh: T = 1、T = 3 和 T = 6 时正确（T 在 z-score 之后使用，并乘以 T²）
    """
    for seed, T in zip(seeds[:3], (1.0, 3.0, 6.0), strict=True):
        _expect_loss(submission, reference, _pair(seed, B=8, C=10), T)


@pytest.mark.feedback(
    en="the KL is summed over the classes and averaged over the samples ('batchmean'): with "
    "one sample it is that sample's KL × T²",
    zh="KL 对类别求和、对样本求平均（'batchmean'）：只有一个样本时，就是该样本的 KL × T²",
    hint=2,
)
def test_loss_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of 1

    zh: batch 大小为 1 时正确
    """
    _expect_loss(submission, reference, _pair(seeds[0], B=1, C=10), 2.0)


@pytest.mark.feedback(
    en="a row of equal logits (teacher or student) standardises to zeros, a uniform "
    "distribution after the softmax: the loss stays finite thanks to eps",
    zh="logits 全部相等的一行（教师或学生）标准化后全为 0，softmax 之后是均匀分布：有了 eps，损失保持有限值",
    hint=3,
)
def test_loss_constant_rows(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Rows of equal logits give a finite, right loss (and gradient, on the teacher's side)

    zh: logits 全部相等的行给出有限且正确的损失（教师一侧的情形梯度也正确）
    """
    s, t = _pair(seeds[0], B=5, C=7)
    t[0] = 3.0
    case = Case(f"{_case(s, 2.0)}, a teacher row all equal", f"{_case(s, 2.0)}，教师有一行全部相等")
    _expect_loss(submission, reference, (s, t), 2.0, case)
    _expect_gradient(submission, reference, (s, t), 2.0, case)
    s2, t2 = _pair(seeds[1], B=5, C=7)
    s2[3] = -1.0
    case = Case(
        f"{_case(s2, 2.0)}, a student row all equal", f"{_case(s2, 2.0)}，学生有一行全部相等"
    )
    _expect_loss(submission, reference, (s2, t2), 2.0, case)


@pytest.mark.feedback(
    en="the gradient follows from the value; check that the student's standardisation stays "
    "inside the graph (mean and standard deviation included)",
    zh="梯度由数值决定；检查学生的标准化是否留在计算图里（均值和标准差也包括在内）",
    hint=2,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's logits is right

    zh: 对学生 logits 的梯度正确
    """
    for seed in seeds[:2]:
        pair = _pair(seed, B=6, C=8)
        T = _temperature(seed)
        _expect_gradient(submission, reference, pair, T, _case(pair[0], T))


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (or standardise them under "
    "torch.no_grad()) inside the loss",
    zh="教师是固定的目标：在损失函数内部 detach 它的 logits（或在 torch.no_grad() 下对它做标准化）",
    hint=1,
)
def test_teacher_gets_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's logits receive no gradient

    zh: 教师的 logits 没有得到梯度
    """
    pair = _pair(seeds[0], B=6, C=8)
    result = submission.standardized_kd_loss.call(*pair, 2.0, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        case = _case(pair[0], 2.0)
        fail(
            f"the teacher's logits received a gradient on {case}",
            f"教师的 logits 得到了梯度（{case}）",
        )
