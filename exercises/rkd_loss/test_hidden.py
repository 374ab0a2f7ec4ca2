"""Hidden suite for rkd_loss: rkd_loss(f_s, f_t, distance_weight=25.0, angle_weight=50.0).

Embeddings are drawn from the fresh ``seeds`` of each grading, plus fixed edge cases (a batch of
two, a repeated example with its gradient, 4-D features on either side, non-contiguous inputs,
relations far enough apart to reach the linear part of smooth L1, batches of one and none). The
two terms are also tested on their own by zeroing the other weight, so a failure points at the
term that is wrong. Every comparison goes through kdquiz.grading.suite, which never reveals
expected values.
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

# The loss is O(0.1)-O(10) with the default weights; float32 throughout.
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4


def _embeddings(
    seed: int, *, B: int | None = None, d_s: int | None = None, d_t: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random (B, d_s) student and (B, d_t) teacher embeddings; unspecified sizes are drawn."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(3, 11, (1,), generator=g))
    if d_s is None:
        d_s = int(torch.randint(4, 33, (1,), generator=g))
    if d_t is None:
        d_t = int(torch.randint(8, 65, (1,), generator=g))
    f_s = torch.randn(B, d_s, generator=g)
    f_t = 2.0 * torch.randn(B, d_t, generator=g) + 0.5
    return f_s, f_t


def _case(
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    wd: float = 25.0,
    wa: float = 50.0,
    extra: Case | None = None,
) -> Case:
    weights = f"distance_weight={wd:g}, angle_weight={wa:g}"
    en = f"B={f_s.shape[0]}, student {tuple(f_s.shape[1:])}, teacher {tuple(f_t.shape[1:])}, "
    zh = f"B={f_s.shape[0]}，学生 {tuple(f_s.shape[1:])}，教师 {tuple(f_t.shape[1:])}，"
    if extra is None:
        return Case(en + weights, zh + weights)
    return Case(f"{en}{weights}, {extra.en}", f"{zh}{weights}，{extra.zh}")


def _ref_value(reference: Any, f_s: torch.Tensor, f_t: torch.Tensor, wd: float, wa: float) -> Any:
    with torch.no_grad():
        return reference.rkd_loss(f_s.clone(), f_t.clone(), wd, wa)


def _expect_reference(
    submission: Any,
    reference: Any,
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    wd: float = 25.0,
    wa: float = 50.0,
    extra: Case | None = None,
) -> None:
    case = _case(f_s, f_t, wd, wa, extra)
    got = submission.rkd_loss(f_s, f_t, distance_weight=wd, angle_weight=wa)
    expect_close(got, _ref_value(reference, f_s, f_t, wd, wa), atol=ATOL, rtol=RTOL, case=case)


def _expect_student_gradient(
    submission: Any, reference: Any, f_s: torch.Tensor, f_t: torch.Tensor, extra: Case | None = None
) -> None:
    """The gradient w.r.t. f_s (default weights) exists, is finite and is the reference's."""
    case = _case(f_s, f_t, extra=extra)
    result = submission.rkd_loss.call(f_s, f_t, grad_of=[0, 1])
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's embeddings on {case.en}: is the loss built from "
            "them with differentiable torch operations?",
            f"梯度没有传到学生的嵌入（{case.zh}）：损失是否由它们经可微的 torch 运算得到？",
        )
    if not bool(torch.isfinite(grad).all()):
        fail(
            f"the gradient with respect to the student's embeddings contains NaN or inf on {case.en}",
            f"对学生嵌入的梯度含有 NaN 或 inf（{case.zh}）",
        )
    s = f_s.clone().requires_grad_(True)
    reference.rkd_loss(s, f_t.clone()).backward()
    expect_close(
        grad, s.grad, atol=GRAD_ATOL, rtol=GRAD_RTOL, case=case, what="gradient", what_zh="梯度"
    )


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    f_s, f_t = _embeddings(seeds[0], B=6, d_s=8, d_t=16)
    got = submission.rkd_loss(f_s, f_t)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(f_s, f_t))


@pytest.mark.feedback(
    en="the loss is 25 × (distance term) + 50 × (angle term) by default; the tests that switch "
    "one term off tell you which one is wrong",
    zh="默认损失是 25 ×（距离项）+ 50 ×（角度项）；把其中一项权重设为 0 的那两个测试能告诉你是哪一项错了",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random embeddings with the default weights

    zh: 默认权重下，在随机嵌入上与参考实现一致
    """
    for seed in seeds:
        f_s, f_t = _embeddings(seed)
        _expect_reference(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="distance term: Euclidean distances (not squared), each matrix divided by the mean of its "
    "B(B-1) off-diagonal entries (the zero diagonal excluded), then F.smooth_l1_loss averaged "
    "over all B×B entries",
    zh="距离项：欧氏距离（不是平方距离），每个矩阵除以它 B(B-1) 个非对角元素的均值（不含为零的对角线），"
    "再用 F.smooth_l1_loss 在全部 B×B 个元素上求平均",
    hint=2,
)
def test_distance_term(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The distance term alone (angle_weight = 0) is right

    zh: 只有距离项（angle_weight = 0）时结果正确
    """
    for seed in seeds[:3]:
        f_s, f_t = _embeddings(seed)
        _expect_reference(submission, reference, f_s, f_t, 1.0, 0.0)


@pytest.mark.feedback(
    en="angle term: the cosine between the *unit* vectors e_j − e_i and e_k − e_i for every "
    "(i, j, k), zero where a vector is zero, then F.smooth_l1_loss averaged over all B×B×B "
    "entries",
    zh="角度项：对每个 (i, j, k)，计算*单位*向量 e_j − e_i 与 e_k − e_i 的余弦，向量为零时记为 0，"
    "再用 F.smooth_l1_loss 在全部 B×B×B 个元素上求平均",
    hint=2,
)
def test_angle_term(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The angle term alone (distance_weight = 0) is right

    zh: 只有角度项（distance_weight = 0）时结果正确
    """
    for seed in seeds[:3]:
        f_s, f_t = _embeddings(seed)
        _expect_reference(submission, reference, f_s, f_t, 0.0, 1.0)


@pytest.mark.feedback(
    en="distance_weight multiplies the distance term and angle_weight the angle term",
    zh="distance_weight 乘的是距离项，angle_weight 乘的是角度项",
    hint=1,
)
def test_weights_are_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """distance_weight and angle_weight weigh their own terms

    zh: distance_weight 和 angle_weight 分别加权各自的项
    """
    g = seeded(seeds[1])
    wd = [1.0, 5.0, 40.0][int(torch.randint(0, 3, (1,), generator=g))]
    wa = [2.0, 10.0, 100.0][int(torch.randint(0, 3, (1,), generator=g))]
    f_s, f_t = _embeddings(seeds[0])
    _expect_reference(submission, reference, f_s, f_t, wd, wa)


@pytest.mark.feedback(
    en="smooth L1 is ½x² only for |x| < 1 and |x| − ½ beyond: when the relations differ a lot "
    "(cosines of opposite signs), the quadratic part alone overweights them",
    zh="smooth L1 只在 |x| < 1 时等于 ½x²，超出后是 |x| − ½：关系差得很远时（例如余弦符号相反），"
    "只用二次部分会把它们的权重放得过大",
    hint=2,
)
def test_huber_linear_part(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Relations that differ by more than 1 use the linear part of smooth L1

    zh: 关系相差超过 1 时用 smooth L1 的线性部分
    """
    # Four points on a line (every cosine is ±1) against the corners of a square (cosines 0 and
    # ±0.71): some angle differences exceed 1.
    f_s = torch.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    f_t = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    _expect_reference(
        submission,
        reference,
        f_s,
        f_t,
        extra=Case("student on a line, teacher a square", "学生各点共线，教师是正方形"),
    )
    # The same with fresh draws: a student on a random line, a random teacher.
    g = seeded(seeds[0])
    B = int(torch.randint(5, 9, (1,), generator=g))
    direction = torch.randn(12, generator=g)
    f_s = 3.0 * torch.randn(B, 1, generator=g) * direction + torch.randn(12, generator=g)
    f_t = torch.randn(B, 20, generator=g)
    _expect_reference(
        submission, reference, f_s, f_t, extra=Case("student on a line", "学生各点共线")
    )


@pytest.mark.feedback(
    en="RKD compares relations only: after dividing each distance matrix by its own mean, and "
    "with unit vectors in the angles, a rotated and rescaled copy of the student has exactly "
    "the same relations",
    zh="RKD 只比较关系：每个距离矩阵除以它自己的均值、角度用单位向量计算之后，把学生旋转并缩放得到的副本"
    "与学生的关系完全相同",
    hint=1,
)
def test_invariant_to_rotation_and_scale(submission: Any, seeds: list[int]) -> None:
    """A rotated, rescaled copy of the student as teacher gives a loss of 0

    zh: 教师是学生经旋转和缩放后的副本时，损失为 0
    """
    g = seeded(seeds[2])
    for scale in (0.2, 6.0):
        f_s, _ = _embeddings(seeds[0], B=7, d_s=8)
        q, _ = torch.linalg.qr(torch.randn(16, 8, generator=g))  # (16, 8), orthonormal columns
        f_t = scale * f_s @ q.T  # a distance-preserving embedding into 16 dimensions, rescaled
        got = submission.rkd_loss(f_s, f_t)
        expect_float(
            got,
            0.0,
            atol=1e-6,
            rtol=0.0,
            case=_case(
                f_s,
                f_t,
                extra=Case(
                    f"teacher = {scale:g} × rotated student", f"教师 = {scale:g} × 旋转后的学生"
                ),
            ),
        )


@pytest.mark.feedback(
    en="flatten each sample first, the student's and the teacher's, whatever the rank: "
    "f.reshape(B, -1) turns (B, C, H, W) features into (B, C*H*W) embeddings, and a (B, N, D) "
    "teacher into (B, N*D) ones",
    zh="先把每个样本展平，学生和教师都要，无论维数多少：f.reshape(B, -1) 把 (B, C, H, W) 的特征变成 "
    "(B, C*H*W) 的嵌入，把 (B, N, D) 的教师特征变成 (B, N*D) 的嵌入",
    hint=3,
)
def test_flattens_features(submission: Any, reference: Any, seeds: list[int]) -> None:
    """(B, C, H, W) or (B, N, D) features are flattened per sample (student or teacher)

    zh: (B, C, H, W) 或 (B, N, D) 的特征逐样本展平（学生或教师）
    """
    g = seeded(seeds[0])
    f_s = torch.randn(5, 4, 3, 3, generator=g)
    f_t = torch.randn(5, 24, generator=g)
    _expect_reference(submission, reference, f_s, f_t)
    f_s = torch.randn(5, 16, generator=g)
    f_t = torch.randn(5, 4, 3, 3, generator=g)
    _expect_reference(submission, reference, f_s, f_t)
    f_t = torch.randn(5, 3, 8, generator=g)  # a transformer's (B, tokens, D) teacher
    _expect_reference(submission, reference, f_s, f_t, extra=Case("3-D teacher", "教师 3 维"))


@pytest.mark.feedback(
    en="features can be non-contiguous in memory (channels-last maps, a transposed matrix): "
    ".view(B, -1) cannot flatten those, .reshape(B, -1) or .flatten(1) can",
    zh="特征在内存中可能不连续（channels-last 的特征图、转置后的矩阵）：.view(B, -1) 无法展平它们，"
    ".reshape(B, -1) 或 .flatten(1) 可以",
    hint=3,
)
def test_non_contiguous_inputs(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works on non-contiguous features (channels-last maps, transposed embeddings)

    zh: 不连续的特征（channels-last 特征图、转置的嵌入）也能处理
    """
    g = seeded(seeds[1])
    maps = torch.randn(6, 4, 3, 3, generator=g).contiguous(memory_format=torch.channels_last)
    # A (D, B) matrix transposed to (B, D): the right shape, but not contiguous.
    emb = torch.randn(20, 6, generator=g).t()
    _expect_reference(
        submission,
        reference,
        maps,
        emb,
        extra=Case(
            "channels-last student, transposed teacher", "学生为 channels-last，教师经过转置"
        ),
    )
    _expect_reference(
        submission,
        reference,
        emb,
        maps,
        extra=Case(
            "transposed student, channels-last teacher", "学生经过转置，教师为 channels-last"
        ),
    )


@pytest.mark.feedback(
    en="a repeated example makes some difference vectors e_j − e_i zero: F.normalize keeps them "
    "at zero (their cosines count as 0) where v / v.norm() gives NaN; their distance is 0 "
    "too, where the gradient of sqrt is infinite: the zero pair must add nothing to the gradient",
    zh="batch 里有重复样本时，有些差向量 e_j − e_i 为零：F.normalize 会让它们保持为零（对应的余弦记为 0），"
    "而 v / v.norm() 会得到 NaN；它们的距离也是 0，而 sqrt 在 0 处的梯度是无穷大：这一对样本不应给梯度带来任何贡献",
    hint=3,
)
def test_repeated_example(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A batch with a repeated example gives a finite, correct loss and gradient

    zh: 批中有重复样本时，损失和梯度仍有限且正确
    """
    f_s, f_t = _embeddings(seeds[0], B=6)
    f_s[3], f_t[3] = f_s[1], f_t[1]  # the same input twice in the batch
    _expect_reference(
        submission,
        reference,
        f_s,
        f_t,
        extra=Case("examples 2 and 4 identical", "第 2 和第 4 个样本相同"),
    )
    # For the gradient, values exact in float32 (multiples of 1/4): the repeated pair's squared
    # distance is then exactly 0 however it is computed (with random floats, ‖a‖² + ‖b‖² − 2a·b
    # leaves a rounding residue whose square root has a large, arbitrary gradient).
    g = seeded(seeds[1])
    f_s = torch.randint(-8, 9, (6, 10), generator=g) / 4.0
    f_t = torch.randint(-8, 9, (6, 20), generator=g) / 4.0
    f_s[3], f_t[3] = f_s[1], f_t[1]
    _expect_student_gradient(
        submission,
        reference,
        f_s,
        f_t,
        Case("examples 2 and 4 identical", "第 2 和第 4 个样本相同"),
    )


def test_batch_of_two(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of two (one pair, no proper triangle)

    zh: 批大小为 2 时也能正确计算（只有一对样本，构不成三角形）
    """
    f_s, f_t = _embeddings(seeds[0], B=2)
    _expect_reference(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="with fewer than two examples (one, or an empty batch) there is no pair: the mean distance "
    "is the mean of nothing (NaN); check the batch size and raise ValueError",
    zh="样本少于两个时（一个，或者空批）不存在样本对，平均距离是空集合的平均（NaN）；应检查批大小并抛出 "
    "ValueError",
    hint=3,
)
def test_batch_of_one_raises(submission: Any, seeds: list[int]) -> None:
    """A batch of fewer than two examples (one or none) raises ValueError

    zh: 批中样本少于两个（一个或没有）时抛出 ValueError
    """
    for B in (1, 0):
        f_s, f_t = _embeddings(seeds[0], B=B, d_s=8, d_t=16)
        expect_raises(submission.rkd_loss, "ValueError", f_s, f_t, case=_case(f_s, f_t))


@pytest.mark.feedback(
    en="the gradient also flows through the student's mean distance (do not detach the student's "
    "normaliser); check both terms against their tests",
    zh="梯度也会流经学生的平均距离（不要对学生的归一化因子 detach）；再对照两个单项测试检查两项",
    hint=2,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's embeddings matches the reference

    zh: 对学生嵌入的梯度与参考实现一致
    """
    for seed in seeds[:3]:
        f_s, f_t = _embeddings(seed)
        _expect_student_gradient(submission, reference, f_s, f_t)


@pytest.mark.feedback(
    en="the teacher's distances and angles are fixed targets: compute them under torch.no_grad() "
    "(or from f_t.detach())",
    zh="教师的距离和角度是固定目标：在 torch.no_grad() 下计算它们（或者基于 f_t.detach() 计算）",
    hint=3,
)
def test_no_teacher_gradient(submission: Any, seeds: list[int]) -> None:
    """No gradient flows into the teacher's embeddings

    zh: 没有梯度传到教师的嵌入
    """
    f_s, f_t = _embeddings(seeds[0], B=6, d_s=8, d_t=16)
    result = submission.rkd_loss.call(f_s, f_t, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        fail(
            f"a gradient flowed into the teacher's embeddings on {_case(f_s, f_t).en}",
            f"梯度传到了教师的嵌入（{_case(f_s, f_t).zh}）",
        )
