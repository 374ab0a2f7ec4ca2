"""Hidden suite for sp_loss: similarity-preserving KD, sp_loss(f_s, f_t).

Features are drawn from the fresh ``seeds`` of each grading (4-D maps of different shapes for
student and teacher, 2-D embeddings, and one of each), plus fixed edge cases: non-contiguous
inputs, tiny features, an all-zero example (value and gradient), a batch of one and mismatched
batches. Every comparison goes through kdquiz.grading.suite, which never
reveals expected values.
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

# The loss is a mean of squared differences of unit-row matrices: O(1e-3)-O(1e-1).
ATOL, RTOL = 1e-6, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-4


def _maps(seed: int, *, B: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Random (B, C, H, W) student and teacher feature maps of different shapes."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(3, 17, (1,), generator=g))
    cs, ct = (
        int(torch.randint(2, 9, (1,), generator=g)),
        int(torch.randint(4, 17, (1,), generator=g)),
    )
    hs, ht = [(4, 4), (4, 2), (8, 4)][int(torch.randint(0, 3, (1,), generator=g))]
    # Post-ReLU-like features (mostly positive similarities) with a few negative entries.
    f_s = torch.randn(B, cs, hs, hs, generator=g).relu() - 0.1
    f_t = 2.0 * torch.randn(B, ct, ht, ht, generator=g).relu() - 0.2
    return f_s, f_t


def _embeddings(seed: int, B: int, d_s: int, d_t: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = seeded(seed)
    return torch.randn(B, d_s, generator=g), 3.0 * torch.randn(B, d_t, generator=g)


def _case(f_s: torch.Tensor, f_t: torch.Tensor, extra: Case | None = None) -> Case:
    en = f"student {tuple(f_s.shape)}, teacher {tuple(f_t.shape)}"
    zh = f"学生 {tuple(f_s.shape)}，教师 {tuple(f_t.shape)}"
    if extra is None:
        return Case(en, zh)
    return Case(f"{en}, {extra.en}", f"{zh}，{extra.zh}")


def _ref_value(reference: Any, f_s: torch.Tensor, f_t: torch.Tensor) -> Any:
    with torch.no_grad():
        return reference.sp_loss(f_s.clone(), f_t.clone())


def _expect_reference(
    submission: Any, reference: Any, f_s: torch.Tensor, f_t: torch.Tensor, extra: Case | None = None
) -> None:
    case = _case(f_s, f_t, extra)
    got = submission.sp_loss(f_s, f_t)
    expect_close(got, _ref_value(reference, f_s, f_t), atol=ATOL, rtol=RTOL, case=case)


def _student_gradient(submission: Any, f_s: torch.Tensor, f_t: torch.Tensor, case: Case) -> Any:
    """The submission's gradient with respect to f_s; fails if there is none or it is not finite."""
    result = submission.sp_loss.call(f_s, f_t, grad_of=[0, 1])
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
    return grad


def _ref_gradient(reference: Any, f_s: torch.Tensor, f_t: torch.Tensor) -> torch.Tensor:
    s = f_s.clone().requires_grad_(True)
    reference.sp_loss(s, f_t.clone()).backward()
    assert s.grad is not None
    return s.grad


@pytest.mark.feedback(
    en="return a 0-dim tensor: .sum() of the squared differences divided by B², not a "
    ".view(-1, 1).sum(0) that leaves shape (1,)",
    zh="返回 0 维张量：差值平方 .sum() 后除以 B²，而不是 .view(-1, 1).sum(0)（那样形状会是 (1,)）",
    hint=3,
)
def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    f_s, f_t = _maps(seeds[0], B=8)
    got = submission.sp_loss(f_s, f_t)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(f_s, f_t))


@pytest.mark.feedback(
    en="G = f f^T is B×B (f flattened to (B, -1)), each row L2-normalised; the loss is the sum of "
    "(G_t − G_s)² divided by B²",
    zh="G = f f^T 是 B×B 矩阵（f 先展平成 (B, -1)），每一行做 L2 归一化；损失是 (G_t − G_s)² 的总和除以 B²",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random feature maps of different shapes

    zh: 在形状各异的随机特征图上与参考实现一致
    """
    for seed in seeds:
        f_s, f_t = _maps(seed)
        _expect_reference(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="for (B, D) embeddings the Gram matrix is still f f^T (B×B), compared row-normalised",
    zh="对 (B, D) 的嵌入，Gram 矩阵仍然是 f f^T（B×B），行归一化后再比较",
    hint=2,
)
def test_embeddings(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works on (B, D) embeddings with D_s ≠ D_t

    zh: D_s ≠ D_t 的 (B, D) 嵌入也能处理
    """
    for seed, (B, d_s, d_t) in zip(seeds[:2], ((6, 10, 24), (12, 32, 16)), strict=True):
        f_s, f_t = _embeddings(seed, B, d_s, d_t)
        _expect_reference(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="flatten each side on its own, whatever its rank: a (B, D) student can be paired with a "
    "(B, C, H, W) teacher and the other way round",
    zh="无论维数多少，两边各自展平：(B, D) 的学生可以搭配 (B, C, H, W) 的教师，反过来也一样",
    hint=2,
)
def test_mixed_ranks(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works when one side is a (B, D) embedding and the other a (B, C, H, W) map

    zh: 一侧是 (B, D) 嵌入、另一侧是 (B, C, H, W) 特征图时也能处理
    """
    for seed in seeds[:2]:
        f_s, f_t = _maps(seed, B=6)
        e_s, e_t = _embeddings(seed, 6, 24, 40)
        _expect_reference(
            submission,
            reference,
            e_s,
            f_t,
            Case("2-D student, 4-D teacher", "学生 2 维，教师 4 维"),
        )
        _expect_reference(
            submission,
            reference,
            f_s,
            e_t,
            Case("4-D student, 2-D teacher", "学生 4 维，教师 2 维"),
        )


@pytest.mark.feedback(
    en="features can be non-contiguous in memory (channels-last maps, a transposed matrix): "
    ".view(B, -1) cannot flatten those, .reshape(B, -1) or .flatten(1) can",
    zh="特征在内存中可能不连续（channels-last 的特征图、转置后的矩阵）：.view(B, -1) 无法展平它们，"
    ".reshape(B, -1) 或 .flatten(1) 可以",
    hint=2,
)
def test_non_contiguous_inputs(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works on non-contiguous features (channels-last maps, transposed embeddings)

    zh: 不连续的特征（channels-last 特征图、转置的嵌入）也能处理
    """
    f_s, f_t = _maps(seeds[0], B=6)
    cl_s = f_s.contiguous(memory_format=torch.channels_last)
    cl_t = f_t.contiguous(memory_format=torch.channels_last)
    _expect_reference(
        submission, reference, cl_s, f_t, Case("student channels-last", "学生 channels-last")
    )
    _expect_reference(
        submission, reference, f_s, cl_t, Case("teacher channels-last", "教师 channels-last")
    )
    e_s, e_t = _embeddings(seeds[1], 8, 12, 20)
    # (D, B) matrices transposed to (B, D): the right shape, but not contiguous.
    tr_s, tr_t = e_s.t().contiguous().t(), e_t.t().contiguous().t()
    _expect_reference(
        submission,
        reference,
        tr_s,
        tr_t,
        Case("both transposed (non-contiguous)", "两侧都经过转置（不连续）"),
    )


@pytest.mark.feedback(
    en="L2-normalise each row of G (F.normalize(G, dim=1)): the raw Gram matrix carries the "
    "scale of the features, which differs between networks; this holds for tiny features too "
    "(an epsilon added to the norm is not negligible then)",
    zh="对 G 的每一行做 L2 归一化（F.normalize(G, dim=1)）：原始 Gram 矩阵带着特征的尺度，而不同网络的尺度并不相同；"
    "特征很小时也是如此（这时加在范数上的 epsilon 就不可忽略了）",
    hint=1,
)
def test_scale_invariant(submission: Any, seeds: list[int]) -> None:
    """Features that differ only by a global scale give a loss of 0

    zh: 只差一个全局尺度的特征，损失为 0
    """
    # 1e-4: G_t is ~1e-8 × G_s, far above F.normalize's eps but not above an additive one.
    # Student scale 3e-6: the student's Gram rows are ~1e-10-1e-8, far above eps = 1e-12, but
    # below a larger eps given to F.normalize.
    for scale, factor in ((1.0, 1e-4), (1.0, 0.1), (1.0, 5.0), (3e-6, 3.0)):
        f_s, _ = _maps(seeds[0], B=6)
        f_s = scale * f_s
        f_t = factor * f_s
        got = submission.sp_loss(f_s, f_t)
        expect_float(
            got,
            0.0,
            atol=1e-6,
            rtol=0.0,
            case=_case(
                f_s,
                f_t,
                Case(
                    f"student features of scale {scale:g}, teacher = {factor:g} × student",
                    f"学生特征的尺度为 {scale:g}，教师 = {factor:g} × 学生",
                ),
            ),
        )


@pytest.mark.feedback(
    en="an example whose features are all zero (the student's or the teacher's) gives a zero "
    "row in G: F.normalize keeps it at zero with a finite gradient, whereas G / G.norm(dim=1, keepdim=True) gives 0/0 = NaN, in "
    "the value or (even behind a torch.where) in the gradient of every example",
    zh="某个样本的特征（学生的或教师的）全为零时，G 中对应的一行为零：F.normalize 会让它保持为零，梯度也是有限的；而 "
    "G / G.norm(dim=1, keepdim=True) 会得到 0/0 = NaN，出现在数值里，或者（即使用 torch.where "
    "挡住了数值）出现在每个样本的梯度里",
    hint=3,
)
def test_all_zero_example(submission: Any, reference: Any, seeds: list[int]) -> None:
    """An example with all-zero features (student or teacher) gives a finite loss and gradient

    zh: 某个样本的特征（学生或教师的）全为零时，损失和梯度仍是有限值
    """
    f_s, f_t = _maps(seeds[1], B=5)
    f_t[1] = 0.0  # a dead teacher layer on that input: its G_t row must be 0, not NaN
    _expect_reference(
        submission,
        reference,
        f_s,
        f_t,
        Case("teacher features of example 2 all 0", "第 2 个样本的教师特征全为 0"),
    )
    f_s, f_t = _maps(seeds[0], B=5)
    f_s[2] = 0.0  # e.g. a dead ReLU layer on that input
    extra = Case("student features of example 3 all 0", "第 3 个样本的学生特征全为 0")
    _expect_reference(submission, reference, f_s, f_t, extra)
    case = _case(f_s, f_t, extra)
    grad = _student_gradient(submission, f_s, f_t, case)
    # The loss is not differentiable at the zero example itself (its normalised row jumps from 0
    # to a unit vector): F.normalize gives it a huge (~1/eps) gradient, so only its finiteness is
    # checked there; the other examples' gradients are well defined and compared.
    keep = torch.arange(f_s.shape[0]) != 2
    expect_close(
        grad[keep],
        _ref_gradient(reference, f_s, f_t)[keep],
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=Case(f"{case.en}, the other examples", f"{case.zh}，其他样本"),
        what="gradient",
        what_zh="梯度",
    )


def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of one

    zh: 批大小为 1 时也能正确计算
    """
    f_s, f_t = _maps(seeds[0], B=1)
    _expect_reference(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="check that f_s and f_t have the same batch size and raise ValueError: "
    "f_t.view(B_s, -1) can silently regroup a mismatched teacher batch",
    zh="检查 f_s 与 f_t 的批大小是否相同，不同时抛出 ValueError：f_t.view(B_s, -1) "
    "可能会悄无声息地把不匹配的教师 batch 重新分组",
    hint=3,
)
def test_mismatched_batch_raises(submission: Any, seeds: list[int]) -> None:
    """Mismatched student and teacher batches raise ValueError

    zh: 学生和教师的批大小不同时抛出 ValueError
    """
    g = seeded(seeds[0])
    pairs = (
        (torch.randn(8, 3, generator=g), torch.randn(4, 6, generator=g)),  # 4*6 = 8*3
        (torch.randn(5, 2, 2, 2, generator=g), torch.randn(3, 4, 2, 2, generator=g)),
    )
    for f_s, f_t in pairs:
        expect_raises(submission.sp_loss, "ValueError", f_s, f_t, case=_case(f_s, f_t))


@pytest.mark.feedback(
    en="the gradient follows the value: check the B×B Gram matrix, the row normalisation, the "
    "square and the division by B²",
    zh="梯度跟着数值走：检查 B×B 的 Gram 矩阵、行归一化、平方以及除以 B²",
    hint=2,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's features matches the reference

    zh: 对学生特征的梯度与参考实现一致
    """
    for seed in seeds[:2]:
        f_s, f_t = _maps(seed)
        case = _case(f_s, f_t)
        grad = _student_gradient(submission, f_s, f_t, case)
        expect_close(
            grad,
            _ref_gradient(reference, f_s, f_t),
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="gradient",
            what_zh="梯度",
        )


@pytest.mark.feedback(
    en="the teacher's similarity matrix is a fixed target: detach f_t (or compute G_t under "
    "torch.no_grad())",
    zh="教师的相似度矩阵是固定目标：对 f_t 调用 detach()（或在 torch.no_grad() 下计算 G_t）",
    hint=3,
)
def test_no_teacher_gradient(submission: Any, seeds: list[int]) -> None:
    """No gradient flows into the teacher's features

    zh: 没有梯度传到教师特征
    """
    f_s, f_t = _maps(seeds[0], B=6)
    result = submission.sp_loss.call(f_s, f_t, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        fail(
            f"a gradient flowed into the teacher's features on {_case(f_s, f_t).en}",
            f"梯度传到了教师特征（{_case(f_s, f_t).zh}）",
        )
