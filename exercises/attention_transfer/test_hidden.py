"""Hidden suite for attention_transfer: at_loss(f_s, f_t, p=2).

Features are drawn from the fresh ``seeds`` of each grading (signed values, as features taken
before a ReLU are), plus fixed edge cases: odd and fractional p, different spatial sizes in both
directions (with the gradient through the pooling), tiny activations, exact zeros (ReLU'd
features, all-zero examples; value and gradient) and a batch of one. Every comparison goes
through kdquiz.grading.suite, which never reveals expected values.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_float, expect_tensor, fail, seeded

# The loss is a mean of squared differences of unit vectors: O(1e-3)-O(1e-1) for random features.
ATOL, RTOL = 1e-6, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-4


def _features(
    seed: int,
    *,
    B: int | None = None,
    student: tuple[int, int, int] | None = None,
    teacher: tuple[int, int, int] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random (B, C, H, W) student and teacher features; unspecified sizes are drawn too."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 7, (1,), generator=g))
    side = [4, 5, 8][int(torch.randint(0, 3, (1,), generator=g))]
    if student is None:
        student = (int(torch.randint(2, 17, (1,), generator=g)), side, side)
    if teacher is None:
        teacher = (int(torch.randint(2, 33, (1,), generator=g)), student[1], student[2])
    f_s = torch.randn(B, *student, generator=g)
    f_t = 1.5 * torch.randn(B, *teacher, generator=g) + 0.3
    return f_s, f_t


def _case(f_s: torch.Tensor, f_t: torch.Tensor, p: float | None, extra: Case | None = None) -> Case:
    shown = "p not given" if p is None else f"p={p:g}"
    shown_zh = "未传 p" if p is None else f"p={p:g}"
    en = (
        f"B={f_s.shape[0]}, student {tuple(f_s.shape[1:])}, teacher {tuple(f_t.shape[1:])}, {shown}"
    )
    zh = f"B={f_s.shape[0]}，学生 {tuple(f_s.shape[1:])}，教师 {tuple(f_t.shape[1:])}，{shown_zh}"
    if extra is None:
        return Case(en, zh)
    return Case(f"{en}, {extra.en}", f"{zh}，{extra.zh}")


def _ref_value(reference: Any, f_s: torch.Tensor, f_t: torch.Tensor, p: float) -> torch.Tensor:
    with torch.no_grad():
        return reference.at_loss(f_s.clone(), f_t.clone(), p)


def _expect_reference(
    submission: Any,
    reference: Any,
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    p: float,
    extra: Case | None = None,
) -> None:
    case = _case(f_s, f_t, p, extra)
    got = submission.at_loss(f_s, f_t, p)
    expect_close(got, _ref_value(reference, f_s, f_t, p), atol=ATOL, rtol=RTOL, case=case)


def _expect_student_gradient(
    submission: Any,
    reference: Any,
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    p: float,
    extra: Case | None = None,
) -> None:
    """The gradient with respect to f_s exists, is finite and matches the reference's."""
    case = _case(f_s, f_t, p, extra)
    result = submission.at_loss.call(f_s, f_t, p, grad_of=[0, 1])
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's features on {case.en}: is the loss built from "
            "them with differentiable torch operations?",
            f"梯度没有传到学生特征（{case.zh}）：损失是否由它们经可微的 torch 运算得到？",
        )
    if not bool(torch.isfinite(grad).all()):
        fail(
            f"the gradient with respect to the student's features contains NaN or inf on {case.en}",
            f"对学生特征的梯度含有 NaN 或 inf（{case.zh}）",
        )
    s = f_s.clone().requires_grad_(True)
    reference.at_loss(s, f_t.clone(), p).backward()
    expect_close(
        grad, s.grad, atol=GRAD_ATOL, rtol=GRAD_RTOL, case=case, what="gradient", what_zh="梯度"
    )


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    f_s, f_t = _features(seeds[0], B=4, student=(8, 4, 4), teacher=(16, 4, 4))
    got = submission.at_loss(f_s, f_t, 2)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(f_s, f_t, 2))


@pytest.mark.feedback(
    en="each map is the channel mean of |f|^p, flattened to (B, H*W) and L2-normalised per "
    "sample; the loss is the mean of the squared differences over all B*H*W entries",
    zh="每张图是 |f|^p 在通道上的平均，展平成 (B, H*W) 后按样本做 L2 归一化；损失是全部 B*H*W "
    "个元素上差值平方的平均",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random features with p = 2

    zh: p = 2 时在随机特征上与参考实现一致
    """
    for seed in seeds:
        f_s, f_t = _features(seed)
        _expect_reference(submission, reference, f_s, f_t, 2)


@pytest.mark.feedback(
    en="use the p you are given: the map is the channel mean of |f|^p, not always of f²",
    zh="要用传进来的 p：注意力图是 |f|^p 在通道上的平均，而不是固定用 f²",
    hint=2,
)
def test_p_is_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """p is used (p = 4)

    zh: 用到了 p（p = 4）
    """
    for seed in seeds[:2]:
        f_s, f_t = _features(seed)
        _expect_reference(submission, reference, f_s, f_t, 4)


@pytest.mark.feedback(
    en="take the absolute value before the power: for odd p, f.pow(p) keeps the sign and "
    "negative activations cancel positive ones in the channel mean",
    zh="先取绝对值再求幂：p 为奇数时 f.pow(p) 保留了符号，通道平均时负激活会抵消正激活",
    hint=2,
)
def test_odd_p_uses_absolute_values(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Odd p uses |f|^p (features may be negative)

    zh: p 为奇数时用 |f|^p（特征可能为负）
    """
    for seed, p in zip(seeds[:2], (1, 3), strict=True):
        f_s, f_t = _features(seed)
        _expect_reference(submission, reference, f_s, f_t, p)


@pytest.mark.feedback(
    en="|f|^p is defined for any p > 0, not only for integers: a negative activation raised to a "
    "fractional power is NaN, so the absolute value must come first whatever p is",
    zh="|f|^p 对任意 p > 0 都有定义，而不只是整数：负的激活值取分数次幂会得到 NaN，所以无论 p "
    "是多少，都要先取绝对值",
    hint=2,
)
def test_fractional_p(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A fractional p (p = 1.5) on signed features

    zh: p 为小数（p = 1.5）且特征有正有负时结果正确
    """
    for seed in seeds[:2]:
        f_s, f_t = _features(seed)
        _expect_reference(submission, reference, f_s, f_t, 1.5)


@pytest.mark.feedback(
    en="normalise each flattened map to unit L2 norm (F.normalize(..., dim=1)): AT compares "
    "where the network is active, not how strongly, even for small activations (an epsilon "
    "added to the norm is not negligible then)",
    zh="把每张展平后的注意力图归一化为单位 L2 范数（F.normalize(..., dim=1)）：AT 比较的是网络在哪里激活，"
    "而不是激活有多强；激活很小时也是如此（这时加在范数上的 epsilon 就不可忽略了）",
    hint=1,
)
def test_scale_invariant(submission: Any, seeds: list[int]) -> None:
    """Features that differ only by a positive scale give a loss of 0

    zh: 只差一个正的尺度因子的特征，损失为 0
    """
    g = seeded(seeds[1])
    # 1e-3: the maps are ~1e-6 (p = 2), far above F.normalize's eps but not above an additive one.
    # Student scale 1e-4 (maps ~1e-8) and factor 1e-5 (maps ~1e-10): still far above eps = 1e-12,
    # but below a larger eps given to F.normalize.
    for scale, factor in ((1.0, 1e-3), (1.0, 0.1), (1.0, 7.0), (1e-4, 5.0), (1.0, 1e-5)):
        f_s, _ = _features(seeds[0], B=3, student=(6, 5, 5))
        f_s = scale * f_s
        f_t = factor * f_s.repeat(1, 3, 1, 1)  # 18 channels
        f_t = f_t[:, torch.randperm(18, generator=g)]  # channel order does not matter either
        got = submission.at_loss(f_s, f_t, 2)
        expect_float(
            got,
            0.0,
            atol=1e-6,
            rtol=0.0,
            case=_case(
                f_s,
                f_t,
                2,
                Case(
                    f"student features of scale {scale:g}, teacher = {factor:g} × student"
                    " (channels repeated)",
                    f"学生特征的尺度为 {scale:g}，教师 = {factor:g} × 学生（通道重复）",
                ),
            ),
        )


@pytest.mark.feedback(
    en="when the spatial sizes differ, adaptive-average-pool the larger *feature* "
    "(F.adaptive_avg_pool2d(f, (H, W)) with the smaller one's H and W) before computing its "
    "map; never upsample the smaller one",
    zh="空间尺寸不同时，先对较大的那个*特征*做自适应平均池化（F.adaptive_avg_pool2d(f, (H, W))，H、W "
    "取较小一方的尺寸），再计算它的注意力图；不要把较小的一方上采样",
    hint=3,
)
def test_larger_student_is_pooled(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A student feature map larger than the teacher's is pooled to the teacher's size

    zh: 学生特征图比教师大时，池化到教师的尺寸
    """
    sizes = (((6, 8, 8), (12, 4, 4)), ((6, 7, 7), (12, 4, 4)), ((5, 8, 6), (9, 4, 3)))
    for seed, (student, teacher) in zip(seeds[:3], sizes, strict=True):
        f_s, f_t = _features(seed, B=3, student=student, teacher=teacher)
        _expect_reference(submission, reference, f_s, f_t, 2)


@pytest.mark.feedback(
    en="when the teacher's map is the larger one, pool the teacher's features down to the "
    "student's H and W (before computing the map)",
    zh="教师的特征图更大时，把教师的特征池化到学生的 H、W（在计算注意力图之前）",
    hint=3,
)
def test_larger_teacher_is_pooled(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A teacher feature map larger than the student's is pooled to the student's size

    zh: 教师特征图比学生大时，池化到学生的尺寸
    """
    sizes = (((6, 4, 4), (12, 8, 8)), ((6, 4, 4), (12, 7, 7)), ((5, 4, 3), (9, 8, 6)))
    for seed, (student, teacher) in zip(seeds[:3], sizes, strict=True):
        f_s, f_t = _features(seed, B=3, student=student, teacher=teacher)
        _expect_reference(submission, reference, f_s, f_t, 2)


@pytest.mark.feedback(
    en="the gradient follows the value: check the |f|^p map, the normalisation and the mean "
    "over all B*H*W entries",
    zh="梯度跟着数值走：检查 |f|^p 注意力图、归一化，以及在全部 B*H*W 个元素上求平均",
    hint=2,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's features matches the reference

    zh: 对学生特征的梯度与参考实现一致
    """
    for seed, p in zip(seeds[:2], (2, 3), strict=True):
        f_s, f_t = _features(seed)
        _expect_student_gradient(submission, reference, f_s, f_t, p)


@pytest.mark.feedback(
    en="the pooling is part of the loss: when the student's map is the larger one, its gradient "
    "flows back through the pooling, so the pooling must not run without autograd",
    zh="池化也是损失的一部分：学生的特征图更大时，梯度要经过池化传回学生，所以池化不能在不记录梯度的情况下进行",
    hint=3,
)
def test_gradient_through_pooling(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's gradient flows back through the pooling of a larger student map

    zh: 学生特征图较大时，梯度能穿过池化传回学生
    """
    sizes = (((6, 8, 8), (12, 4, 4)), ((6, 7, 7), (12, 4, 4)))
    for seed, (student, teacher) in zip(seeds[:2], sizes, strict=True):
        f_s, f_t = _features(seed, B=3, student=student, teacher=teacher)
        _expect_student_gradient(submission, reference, f_s, f_t, 2)


@pytest.mark.feedback(
    en="activations that are exactly 0 are common (after a ReLU) and the gradient must be right "
    "there too, for every p: a right value can hide a NaN gradient, e.g. when |f|^p goes "
    "through log|f| (log 0 = −inf) or through a power of f² that is not differentiable at 0",
    zh="恰好为 0 的激活很常见（ReLU 之后），那里的梯度也必须正确，无论 p 是多少：数值对了，梯度仍可能是 NaN，"
    "例如通过 log|f| 计算 |f|^p 时（log 0 = −inf），或者通过 f² 的某个在 0 处不可导的幂来计算时",
    hint=2,
)
def test_gradient_with_zero_activations(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's gradient stays finite and right on ReLU'd features (exact zeros)

    zh: ReLU 之后的特征（含精确的零）上，学生的梯度仍有限且正确
    """
    # p < 2 too: (f*f).pow(p/2) or exp(p·log|f|) have a NaN gradient at 0 there.
    for i, p in enumerate((2, 3, 1, 1.5)):
        f_s, f_t = _features(seeds[i % 2])
        _expect_student_gradient(
            submission,
            reference,
            f_s.relu(),
            f_t,
            p,
            Case("student features after a ReLU", "经过 ReLU 的学生特征"),
        )


@pytest.mark.feedback(
    en="the teacher's map is a fixed target, whichever side is pooled: detach its features "
    "(or compute its map under torch.no_grad())",
    zh="无论池化的是哪一方，教师的注意力图都是固定目标：对教师特征调用 detach()（或在 torch.no_grad() "
    "下计算它的注意力图）",
    hint=3,
)
def test_no_teacher_gradient(submission: Any, seeds: list[int]) -> None:
    """No gradient flows into the teacher's features

    zh: 没有梯度传到教师特征
    """
    # Equal sizes, a larger teacher (pooled) and a larger student (the teacher is not pooled).
    sizes = (((8, 4, 4), (16, 4, 4)), ((8, 4, 4), (16, 8, 8)), ((8, 8, 8), (16, 4, 4)))
    for seed, (student, teacher) in zip(seeds[:3], sizes, strict=True):
        f_s, f_t = _features(seed, B=4, student=student, teacher=teacher)
        result = submission.at_loss.call(f_s, f_t, 2, grad_of=[0, 1])
        grad = result.grads.get(1)
        if grad is not None and bool((grad != 0).any()):
            fail(
                f"a gradient flowed into the teacher's features on {_case(f_s, f_t, 2).en}",
                f"梯度传到了教师特征（{_case(f_s, f_t, 2).zh}）",
            )


@pytest.mark.feedback(
    en="an all-zero map has norm 0: F.normalize divides by max(norm, eps) and returns zeros "
    "with a finite gradient, whereas map / map.norm() gives 0/0 = NaN, in the value or (even "
    "behind a torch.where) in the gradient",
    zh="全零注意力图的范数是 0：F.normalize 除以 max(norm, eps)（norm 为范数），结果为全零，梯度也是有限的；而 "
    "map / map.norm() 会得到 0/0 = NaN，出现在数值里，或者（即使用 torch.where 挡住了数值）出现在梯度里",
    hint=3,
)
def test_all_zero_features(submission: Any, reference: Any, seeds: list[int]) -> None:
    """All-zero features (a dead layer) give a finite loss and a finite gradient

    zh: 特征全为零（失活的层）时，损失和梯度仍是有限值
    """
    f_s, f_t = _features(seeds[0], B=3, student=(6, 4, 4), teacher=(10, 4, 4))
    f_t[1] = 0.0  # one example whose teacher features are all zero
    _expect_reference(
        submission,
        reference,
        f_s,
        f_t,
        2,
        Case("teacher features of example 2 all 0", "第 2 个样本的教师特征全为 0"),
    )
    zeros_s, zeros_t = torch.zeros(2, 6, 4, 4), torch.zeros(2, 10, 4, 4)
    _expect_reference(
        submission, reference, zeros_s, zeros_t, 2, Case("all features 0", "所有特征全为 0")
    )
    # A dead student example: its map's norm is 0, the gradient must still be finite (it is 0).
    f_s, f_t = _features(seeds[1], B=3, student=(6, 4, 4), teacher=(10, 4, 4))
    f_s[1] = 0.0
    extra = Case("student features of example 2 all 0", "第 2 个样本的学生特征全为 0")
    _expect_reference(submission, reference, f_s, f_t, 2, extra)
    _expect_student_gradient(submission, reference, f_s, f_t, 2, extra)


@pytest.mark.feedback(
    en="p is optional and defaults to 2, the authors' f² (see the signature)",
    zh="p 是可选参数，默认值为 2，即作者使用的 f²（见函数签名）",
    hint=1,
)
def test_default_p(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Without p, the loss uses the default p = 2

    zh: 不传 p 时使用默认值 p = 2
    """
    f_s, f_t = _features(seeds[0])
    got = submission.at_loss(f_s, f_t)
    expect_close(
        got,
        _ref_value(reference, f_s, f_t, 2),
        atol=ATOL,
        rtol=RTOL,
        case=_case(f_s, f_t, None),
    )


def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of one

    zh: 批大小为 1 时也能正确计算
    """
    f_s, f_t = _features(seeds[0], B=1, student=(8, 8, 8), teacher=(4, 4, 4))
    _expect_reference(submission, reference, f_s, f_t, 2)
