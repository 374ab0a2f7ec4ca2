"""Hidden suite for fitnet_hint: hint_loss(student_feat, teacher_feat, regressor).

The regressor crosses the sandbox as a ModelSpec (kdquiz.grading.builders): a 1x1 convolution for
(B, C, H, W) features, a linear layer for (B, D) features, with weights drawn from the seed. The
reply reports the gradients its parameters received, which are compared with the reference's on
an identical regressor built in the judge. Inputs come from the fresh ``seeds`` of each grading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import torch

from kdquiz.grading.builders import ModelSpec, build_model, init_state
from kdquiz.grading.suite import Case, expect_close, expect_raises, expect_tensor, fail, seeded

# The loss is a mean of squares of O(1) numbers; gradients are O(1 / number of elements).
ATOL, RTOL = 1e-6, 1e-5
GRAD_ATOL, GRAD_RTOL = 1e-7, 1e-4


@dataclass
class HintCase:
    student: torch.Tensor
    teacher: torch.Tensor
    regressor: ModelSpec
    desc: Case

    @property
    def args(self) -> tuple[Any, ...]:
        return (self.student, self.teacher, self.regressor)


def _desc(student: torch.Tensor, teacher: torch.Tensor, regressor: str, regressor_zh: str) -> Case:
    return Case(
        f"student {tuple(student.shape)}, teacher {tuple(teacher.shape)}, {regressor}",
        f"学生 {tuple(student.shape)}，教师 {tuple(teacher.shape)}，{regressor_zh}",
    )


def _plus(desc: Case, en: str, zh: str) -> Case:
    return Case(f"{desc.en}, {en}", f"{desc.zh}，{zh}")


def _draw(g: torch.Generator, low: int, high: int) -> int:
    return int(torch.randint(low, high + 1, (1,), generator=g))


def _conv_case(seed: int, B: int | None = None) -> HintCase:
    """4-D features and a 1x1-convolution regressor from C_s to C_t channels (C_s != C_t)."""
    g = seeded(seed)
    B = B if B is not None else _draw(g, 2, 6)
    cs, ct = _draw(g, 2, 8), _draw(g, 3, 12)
    if ct == cs:
        ct += 1
    h, w = _draw(g, 2, 5), _draw(g, 2, 5)
    student = torch.randn(B, cs, h, w, generator=g)
    teacher = torch.randn(B, ct, h, w, generator=g)
    options = {"in_channels": cs, "out_channels": ct}
    spec = ModelSpec("conv1x1", options, state=init_state("conv1x1", options, seed + 1))
    return HintCase(
        student,
        teacher,
        spec,
        _desc(student, teacher, f"1x1-conv regressor {cs}→{ct}", f"1x1 卷积回归器 {cs}→{ct}"),
    )


def _linear_case(seed: int) -> HintCase:
    """2-D features and a linear regressor from D_s to D_t features (D_s != D_t)."""
    g = seeded(seed)
    B, ds, dt = _draw(g, 2, 8), _draw(g, 3, 10), _draw(g, 4, 12)
    if dt == ds:
        dt += 1
    student = torch.randn(B, ds, generator=g)
    teacher = torch.randn(B, dt, generator=g)
    options = {"in_features": ds, "out_features": dt}
    spec = ModelSpec("linear", options, state=init_state("linear", options, seed + 1))
    return HintCase(
        student,
        teacher,
        spec,
        _desc(student, teacher, f"linear regressor {ds}→{dt}", f"线性回归器 {ds}→{dt}"),
    )


def _reference_run(
    reference: Any, case: HintCase
) -> tuple[torch.Tensor, torch.Tensor, dict[str, Any]]:
    """The reference's loss, gradient w.r.t. the student's feature, and regressor gradients."""
    regressor, _ = build_model(case.regressor)
    student = case.student.clone().requires_grad_(True)
    loss = reference.hint_loss(student, case.teacher.clone(), regressor)
    loss.backward()
    assert student.grad is not None
    grads = {
        n: p.grad.detach().clone() for n, p in regressor.named_parameters() if p.grad is not None
    }
    return loss.detach(), student.grad, grads


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    case = _conv_case(seeds[0])
    got = submission.hint_loss(*case.args)
    expect_tensor(got, shape=(), dtype=torch.float32, case=case.desc)


@pytest.mark.feedback(
    en="the loss is the mean over every element (B·C·H·W) of (regressor(student) − teacher)²: "
    "a squared error, averaged, not summed, and the regressor goes on the student",
    zh="损失是 (regressor(student_feat) − teacher_feat)² 在所有元素（B·C·H·W）上的平均：平方误差，求平均而不是求和，"
    "回归器作用在学生上",
    hint=2,
)
def test_matches_reference_conv(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on 4-D features with a 1x1-conv regressor

    zh: 4 维特征、1x1 卷积回归器时与参考实现一致
    """
    for seed in seeds:
        case = _conv_case(seed)
        got = submission.hint_loss(*case.args)
        want, _, _ = _reference_run(reference, case)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case.desc)


@pytest.mark.feedback(
    en="nothing in the loss may assume 4-D features: the same mean squared error works for (B, D)",
    zh="损失中不要假设特征一定是 4 维的：同样的均方误差也适用于 (B, D)",
    hint=2,
)
def test_matches_reference_linear(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on 2-D features with a linear regressor

    zh: 2 维特征、线性回归器时与参考实现一致
    """
    for seed in seeds[:2]:
        case = _linear_case(seed)
        got = submission.hint_loss(*case.args)
        want, _, _ = _reference_run(reference, case)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case.desc)


@pytest.mark.feedback(
    en="average over the whole tensor, batch included: with one example the loss is still a "
    "mean over C·H·W elements",
    zh="在整个张量上求平均，批维度也包括在内：只有一个样本时，损失仍是 C·H·W 个元素的平均",
    hint=2,
)
def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of 1

    zh: 批大小为 1 时也能正确计算
    """
    case = _conv_case(seeds[0], B=1)
    got = submission.hint_loss(*case.args)
    want, _, _ = _reference_run(reference, case)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case.desc)


@pytest.mark.feedback(
    en="apply the regressor to the student's feature and compare with the teacher's feature "
    "as it is",
    zh="把回归器作用在学生特征上，再与原样的教师特征比较",
    hint=1,
)
def test_zero_when_regressor_reproduces_hint(submission: Any, seeds: list[int]) -> None:
    """Gives 0 when the regressed student feature equals the teacher's

    zh: 回归后的学生特征等于教师特征时，结果为 0
    """
    case = _conv_case(seeds[0])
    regressor, _ = build_model(case.regressor)
    with torch.no_grad():
        hint = regressor(case.student)
    got = submission.hint_loss(case.student, hint, case.regressor)
    desc = _plus(case.desc, "teacher = regressor(student)", "教师 = regressor(student)")
    expect_close(got, torch.tensor(0.0), atol=1e-6, rtol=0.0, case=desc)


# --- Gradients ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the student's feature must stay in the graph: do not detach it or compute the "
    "regressor under torch.no_grad()",
    zh="学生特征必须留在计算图里：不要 detach 它，也不要在 torch.no_grad() 下运行回归器",
    hint=3,
)
def test_student_gradient(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the student's feature is right

    zh: 对学生特征的梯度正确
    """
    for seed in seeds[:2]:
        case = _conv_case(seed)
        result = submission.hint_loss.call(*case.args, grad_of=[0, 1])
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"no gradient reached the student's feature on {case.desc.en}",
                f"没有梯度传到学生特征上（{case.desc.zh}）",
            )
        _, want, _ = _reference_run(reference, case)
        expect_close(
            grad,
            want,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case.desc,
            what="the gradient w.r.t. the student's feature",
            what_zh="对学生特征的梯度",
        )


@pytest.mark.feedback(
    en="the hint is a fixed target: detach the teacher's feature inside the loss",
    zh="提示是固定的目标：在损失函数内部 detach 教师特征",
    hint=1,
)
def test_teacher_gets_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's feature receives no gradient

    zh: 教师特征得不到梯度
    """
    case = _conv_case(seeds[0])
    result = submission.hint_loss.call(*case.args, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        fail(
            f"the teacher's feature received a gradient on {case.desc.en}",
            f"教师特征得到了梯度（{case.desc.zh}）",
        )


@pytest.mark.feedback(
    en="the regressor is trained with the student: use the module you are given, on the "
    "student's side, inside the graph",
    zh="回归器和学生一起训练：使用传进来的那个模块，放在学生一侧，并且留在计算图里",
    hint=3,
)
def test_regressor_gradients(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The regressor's parameters receive the right gradients

    zh: 回归器的参数得到正确的梯度
    """
    for case in (_conv_case(seeds[0]), _linear_case(seeds[1])):
        result = submission.hint_loss.call(*case.args, grad_of=[0, 1])
        got = result.objects[2]["grads"]
        _, _, want = _reference_run(reference, case)
        for name, tensor in want.items():
            if name not in got:
                fail(
                    f"the regressor's parameter {name} received no gradient on {case.desc.en}",
                    f"回归器的参数 {name} 没有得到梯度（{case.desc.zh}）",
                )
            expect_close(
                got[name],
                tensor,
                atol=GRAD_ATOL,
                rtol=GRAD_RTOL,
                case=case.desc,
                what=f"the gradient of the regressor's {name}",
                what_zh=f"回归器参数 {name} 的梯度",
            )


@pytest.mark.feedback(
    en="the loss only adds its own gradient to the regressor's: gradients already there (the "
    "caller may accumulate over several batches) must not be cleared or changed",
    zh="损失只把自己的梯度加到回归器上：回归器上已有的梯度（调用者可能在多个 batch 上累积梯度）"
    "不能被清空或改动",
    hint=3,
)
def test_regressor_gradients_accumulate(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Gradients the regressor already holds are kept: the loss's gradient adds to them

    zh: 保留回归器已有的梯度：损失的梯度累加到上面
    """
    case = _conv_case(seeds[0])
    spec = case.regressor
    prefilled = ModelSpec(spec.arch, spec.options, spec.state, prefill_grads=True)
    desc = _plus(
        case.desc,
        "every regressor parameter arriving with .grad = 0.5",
        "回归器的每个参数传入时已有 .grad = 0.5",
    )
    result = submission.hint_loss.call(case.student, case.teacher, prefilled, grad_of=[0, 1])
    got = result.objects[2]["grads"]
    _, _, want = _reference_run(reference, case)
    for name, tensor in want.items():
        if name not in got:
            fail(
                f"the regressor's parameter {name} has no gradient after backward on {desc.en}",
                f"反向传播后回归器的参数 {name} 没有梯度（{desc.zh}）",
            )
        expect_close(
            got[name],
            tensor + 0.5,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=desc,
            what=f"the accumulated gradient of the regressor's {name}",
            what_zh=f"回归器参数 {name} 累积后的梯度",
        )


# --- Shape mismatch -----------------------------------------------------------------------------


@pytest.mark.feedback(
    en="compare regressor(student_feat).shape with teacher_feat.shape and raise ValueError when "
    "they differ: F.mse_loss broadcasts (1, 1) spatial maps with only a warning",
    zh="比较 regressor(student_feat).shape 与 teacher_feat.shape，不同时抛出 ValueError："
    "F.mse_loss 会把 (1, 1) 的空间尺寸广播开，只给一个警告",
    hint=4,
)
def test_broadcastable_mismatch_raises(submission: Any, seeds: list[int]) -> None:
    """A broadcastable shape mismatch (teacher pooled to 1x1) raises ValueError

    zh: 形状不一致但可以广播（教师池化成 1x1）时抛出 ValueError
    """
    case = _conv_case(seeds[0])
    pooled = case.teacher.mean(dim=(2, 3), keepdim=True)
    desc = _plus(case.desc, f"but teacher {tuple(pooled.shape)}", f"但教师为 {tuple(pooled.shape)}")
    expect_raises(
        submission.hint_loss, "ValueError", case.student, pooled, case.regressor, case=desc
    )


@pytest.mark.feedback(
    en="check the shapes after the regressor (not before: the channel counts always differ "
    "there) and raise ValueError, not the RuntimeError torch would raise",
    zh="在回归器之后检查形状（不要在之前检查：那时通道数本来就不同），并抛出 ValueError，"
    "而不是 torch 自己抛出的 RuntimeError",
    hint=4,
)
def test_channel_mismatch_raises(submission: Any, seeds: list[int]) -> None:
    """A teacher with a different channel count or spatial size raises ValueError

    zh: 教师的通道数或空间尺寸不同时抛出 ValueError
    """
    case = _conv_case(seeds[0])
    B, ct, h, w = case.teacher.shape
    for shape in ((B, ct + 2, h, w), (B, ct, h + 1, w + 1)):
        teacher = torch.randn(shape, generator=seeded(seeds[1]))
        desc = _plus(case.desc, f"but teacher {tuple(shape)}", f"但教师为 {tuple(shape)}")
        expect_raises(
            submission.hint_loss, "ValueError", case.student, teacher, case.regressor, case=desc
        )


@pytest.mark.feedback(
    en="compare the whole shape, batch dimension included: F.mse_loss broadcasts a teacher batch "
    "of 1 against the whole prediction with only a warning",
    zh="比较完整的形状，包括批维度：F.mse_loss 会把只有 1 个样本的教师特征广播到整个预测上，只给一个警告",
    hint=4,
)
def test_batch_mismatch_raises(submission: Any, seeds: list[int]) -> None:
    """A teacher with another batch size raises ValueError

    zh: 教师的批大小不同时抛出 ValueError
    """
    conv, linear = _conv_case(seeds[0]), _linear_case(seeds[1])
    B, ct, h, w = conv.teacher.shape
    b, dt = linear.teacher.shape
    for case, shape in (
        (conv, (1, ct, h, w)),
        (conv, (B + 1, ct, h, w)),
        (linear, (1, dt)),
        (linear, (b + 1, dt)),
    ):
        teacher = torch.randn(shape, generator=seeded(seeds[2]))
        desc = _plus(case.desc, f"but teacher {tuple(shape)}", f"但教师为 {tuple(shape)}")
        expect_raises(
            submission.hint_loss, "ValueError", case.student, teacher, case.regressor, case=desc
        )


@pytest.mark.feedback(
    en="compare the shapes themselves, not the number of elements: reshaping or flattening a "
    "teacher feature of another layout pairs up elements that do not correspond",
    zh="比较形状本身，而不是元素个数：把布局不同的教师特征 reshape 或展平后，配对起来的元素并不对应",
    hint=4,
)
def test_same_numel_mismatch_raises(submission: Any, seeds: list[int]) -> None:
    """A teacher with as many elements but another shape raises ValueError

    zh: 教师元素个数相同但形状不同时抛出 ValueError
    """
    case = _conv_case(seeds[0])
    B, ct, h, w = case.teacher.shape
    swapped = (B, ct, w, h) if h != w else (B, ct, h * w, 1)  # H and W swapped (or merged)
    for shape in (swapped, (B, ct * h * w)):
        teacher = torch.randn(shape, generator=seeded(seeds[1]))
        desc = _plus(case.desc, f"but teacher {tuple(shape)}", f"但教师为 {tuple(shape)}")
        expect_raises(
            submission.hint_loss, "ValueError", case.student, teacher, case.regressor, case=desc
        )


@pytest.mark.feedback(
    en="size-1 dimensions are part of the shape: do not squeeze or broadcast them away, a "
    "(B, C, 1, 1) prediction and a (B, C) teacher do not match",
    zh="大小为 1 的维度也是形状的一部分：不要用 squeeze 去掉它们，也不要靠广播，"
    "(B, C, 1, 1) 的预测和 (B, C) 的教师特征并不匹配",
    hint=4,
)
def test_size_one_mismatch_raises(submission: Any, seeds: list[int]) -> None:
    """A teacher that differs only by size-1 dimensions raises ValueError

    zh: 教师只差大小为 1 的维度时抛出 ValueError
    """
    case = _conv_case(seeds[0])
    B, cs = case.student.shape[:2]
    ct = case.teacher.shape[1]
    # A 1x1 student map against a (B, C_t) teacher: the prediction is (B, C_t, 1, 1).
    pooled_student = case.student.mean(dim=(2, 3), keepdim=True)
    flat_teacher = case.teacher.mean(dim=(2, 3))
    one = _conv_case(seeds[1], B=1)
    cs1, ct1 = one.student.shape[1], one.teacher.shape[1]
    # A batch of 1 against a teacher without its batch dimension: (1, C_t, H, W) vs (C_t, H, W).
    for student, teacher, regressor, what in (
        (pooled_student, flat_teacher, case.regressor, (cs, ct)),
        (one.student, one.teacher[0], one.regressor, (cs1, ct1)),
    ):
        desc = _desc(
            student,
            teacher,
            f"1x1-conv regressor {what[0]}→{what[1]}",
            f"1x1 卷积回归器 {what[0]}→{what[1]}",
        )
        expect_raises(submission.hint_loss, "ValueError", student, teacher, regressor, case=desc)
