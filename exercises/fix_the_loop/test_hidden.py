"""Hidden suite for fix_the_loop: distill_step(student, teacher, x, y, optimizer, T, alpha).

Models and the optimizer cross the sandbox as specs (kdquiz.grading.builders): the submission gets
real, instrumented modules, and the reply says how every forward pass ran and what state each model
ended in. Each test checks one rule of the step, so a failure names the rule that was broken.

Two set-ups are used:
- "adversarial" (rule tests): the teacher arrives in train mode and the student in eval mode, so a
  step that relies on the modes it is handed is caught;
- "plain" (value tests): both models arrive in the right modes, so the values can be compared with
  the reference step on identical models even when a rule test fails.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pytest
import torch

from kdquiz.grading.builders import (
    ModelSpec,
    OptimizerSpec,
    build_model,
    build_optimizer,
    init_state,
)
from kdquiz.grading.suite import Case, expect_close, expect_float, fail, seeded

STUDENT = {"sizes": [20, 16, 10], "batchnorm": True}
TEACHER = {"sizes": [20, 32, 10], "batchnorm": True}
SGD = {"lr": 0.1, "momentum": 0.9}
BATCH = 8
FEATURES = 20
CLASSES = 10

STATE_ATOL, STATE_RTOL = 1e-5, 1e-4
LOSS_ATOL, LOSS_RTOL = 1e-5, 1e-4
# A real distillation update moves some weight by far more than this away from the plain
# cross-entropy update (alpha=0.9, T=4: 2e-2 or more over 200 random seeds).
TEACHER_EFFECT = 1e-4
# Output layers scaled by LARGE_GRADIENTS (T=4, alpha=0.9): gradient norms of 17 or more (median
# about 26, over 100 seeds; the other cases stay below about 2.5), logits far from softmax underflow.
LARGE_GRADIENTS = 10.0
# Output layers scaled by OVERCONFIDENT (T=1): some row of each model has a logit gap above 120,
# so softmax underflows to exactly 0 there (exp(-104) is below the smallest float32).
OVERCONFIDENT = 100.0


@dataclass
class Setup:
    student: ModelSpec
    teacher: ModelSpec
    x: torch.Tensor
    y: torch.Tensor
    optimizer: OptimizerSpec

    def args(self, temperature: float, alpha: float) -> tuple[Any, ...]:
        return (self.student, self.teacher, self.x, self.y, self.optimizer, temperature, alpha)


def _teacher_state(seed: int) -> dict[str, torch.Tensor]:
    """Random weights plus non-trivial BatchNorm statistics, as a trained teacher would have."""
    state = init_state("mlp", TEACHER, seed)
    g = seeded(seed + 7)
    for key, value in list(state.items()):
        if key.endswith("running_mean"):
            state[key] = 0.5 * torch.randn(value.shape, generator=g)
        elif key.endswith("running_var"):
            state[key] = 0.5 + torch.rand(value.shape, generator=g)
        elif key.endswith("num_batches_tracked"):
            state[key] = torch.tensor(100)
        elif value.dim() == 1 and key.startswith("1."):  # BatchNorm affine weight and bias
            state[key] = value + 0.3 * torch.randn(value.shape, generator=g)
        elif key == "3.weight":  # confident logits, so the soft targets differ from the labels
            state[key] = 3.0 * value
    return state


def _case(
    seed: int, *, adversarial: bool = False, scale: float = 1.0, sgd: dict[str, Any] | None = None
) -> Setup:
    """``scale``: both models' output layers multiplied by it (confident logits, large
    gradients); ``sgd``: other SGD settings than lr 0.1, momentum 0.9."""
    g = seeded(seed)
    x = torch.randn(BATCH, FEATURES, generator=g)
    y = torch.randint(0, CLASSES, (BATCH,), generator=g)
    student_state = init_state("mlp", STUDENT, seed + 1)
    teacher_state = _teacher_state(seed + 2)
    if scale != 1.0:
        student_state["3.weight"] = scale * student_state["3.weight"]
        teacher_state["3.weight"] = scale * teacher_state["3.weight"]
    student = ModelSpec("mlp", STUDENT, student_state, train=not adversarial)
    teacher = ModelSpec("mlp", TEACHER, teacher_state, train=adversarial)
    optimizer = OptimizerSpec("sgd", model_arg=0, options=sgd if sgd is not None else SGD)
    return Setup(student, teacher, x, y, optimizer)


def _draw_t_alpha(seed: int) -> tuple[float, float]:
    """T and alpha that tell the usual mistakes apart (T != 1, alpha != 0.5)."""
    g = seeded(seed + 11)
    temperature = [2.0, 3.0, 4.0, 5.0, 8.0][int(torch.randint(0, 5, (1,), generator=g))]
    alpha = [0.2, 0.3, 0.7, 0.8, 0.9][int(torch.randint(0, 5, (1,), generator=g))]
    return temperature, alpha


def _describe(temperature: float, alpha: float, extra: Case | str | None = None) -> Case:
    """The case in both languages; ``extra`` adds to it (a plain string reads the same in both)."""
    en = f"B={BATCH}, {CLASSES} classes, T={temperature:g}, alpha={alpha:g}"
    zh = f"B={BATCH}，{CLASSES} 个类别，T={temperature:g}，alpha={alpha:g}"
    if isinstance(extra, str):
        extra = Case(extra, extra)
    if extra is not None:
        en, zh = f"{en}, {extra.en}", f"{zh}，{extra.zh}"
    return Case(en, zh)


def _reference_step(
    reference: Any, case: Setup, temperature: float, alpha: float
) -> tuple[float, dict[str, torch.Tensor]]:
    """Run the reference step in the judge on the same specs; return its loss and student state."""
    student, _ = build_model(case.student)
    teacher, _ = build_model(case.teacher)
    optimizer = build_optimizer(case.optimizer, student)
    loss = reference.distill_step(
        student, teacher, case.x.clone(), case.y.clone(), optimizer, temperature, alpha
    )
    return loss, {k: v.detach().clone() for k, v in student.state_dict().items()}


def _expect_reference_step(
    submission: Any, reference: Any, case: Any, temperature: float, alpha: float, desc: str
) -> None:
    """One step of the submission gives the reference's loss and the reference's student."""
    result = submission.distill_step.call(*case.args(temperature, alpha))
    want_loss, want_state = _reference_step(reference, case, temperature, alpha)
    expect_float(
        result.value,
        want_loss,
        atol=LOSS_ATOL,
        rtol=LOSS_RTOL,
        case=desc,
        what="loss",
        what_zh="损失值",
    )
    _expect_state(result.objects[0]["state"], want_state, desc, "student")


def _expect_state(got: dict[str, Any], want: dict[str, Any], case: Case, whose: str) -> None:
    whose_zh = {"student": "学生", "teacher": "教师"}[whose]
    exact = whose == "teacher"
    for key, tensor in want.items():
        if key not in got:
            fail(
                f"the {whose} has no entry {key} after the call on {case.en}",
                f"调用后{whose_zh}缺少 {key}（{case.zh}）",
            )
        expect_close(
            got[key],
            tensor,
            atol=0.0 if exact else STATE_ATOL,
            rtol=0.0 if exact else STATE_RTOL,
            case=case,
            what=f"the {whose}'s {key}",
            what_zh=f"{whose_zh}的 {key}",
        )


# --- What is returned --------------------------------------------------------------------------


@pytest.mark.feedback(
    en="return loss.item(): a Python float, not the tensor (which keeps the step's graph alive)",
    zh="返回 loss.item()：Python float，而不是张量（张量会让这一步的计算图一直留在内存里）",
    hint=3,
)
def test_returns_a_python_float(submission: Any, seeds: list[int]) -> None:
    """Returns the loss as a Python float

    zh: 返回 Python float 类型的损失
    """
    case = _case(seeds[0])
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(temperature, alpha)
    value = submission.distill_step(*case.args(temperature, alpha))
    if type(value) is not float:
        name = type(value).__name__ if value is not None else "None"
        fail(
            f"returned {name} on {desc.en}, expected a Python float (the step's loss)",
            f"返回了 {name}（{desc.zh}），应返回 Python float（这一步的损失）",
        )


@pytest.mark.feedback(
    en="loss = alpha·T²·KL(softmax(t/T) ‖ softmax(s/T)) with reduction 'batchmean', plus "
    "(1 − alpha)·CE(s, y): check T², the reduction, which side alpha weighs, and that both "
    "distributions are divided by T",
    zh="loss = alpha·T²·KL(softmax(t/T) ‖ softmax(s/T))（reduction 为 'batchmean'）加上 "
    "(1 − alpha)·CE(s, y)：检查 T²、reduction、alpha 加权的是哪一项，以及两个分布是否都除以了 T",
    hint=2,
)
def test_loss_value(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The returned loss is the distillation loss of the batch

    zh: 返回的损失是该 batch 的蒸馏损失
    """
    case = _case(seeds[0])
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(temperature, alpha)
    got = submission.distill_step(*case.args(temperature, alpha))
    want, _ = _reference_step(reference, case, temperature, alpha)
    expect_float(
        got, want, atol=LOSS_ATOL, rtol=LOSS_RTOL, case=desc, what="loss", what_zh="损失值"
    )


# --- The teacher is used ------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the article's bug: the teacher's logits must enter the loss through the soft (KL) term",
    zh="这正是原文的 bug：教师的 logits 必须通过软（KL）项进入损失",
    hint=1,
)
def test_teacher_is_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The teacher's logits change the update (it is not plain cross-entropy)

    zh: 教师的 logits 影响更新（不是普通的交叉熵）
    """
    case = _case(seeds[0])
    temperature, alpha = 4.0, 0.9
    desc = _describe(temperature, alpha)
    result = submission.distill_step.call(*case.args(temperature, alpha))
    if not result.objects[1]["forwards"]:
        fail(
            f"the teacher was never run on {desc.en}: its logits are the soft targets",
            f"教师模型从未被调用（{desc.zh}）：软目标来自教师的 logits",
        )
    _, plain = _reference_step(reference, case, temperature, 0.0)  # alpha=0: cross-entropy only
    got = result.objects[0]["state"]
    moved = 0.0
    for key, tensor in plain.items():
        value = got.get(key)
        if (
            type(value) is torch.Tensor
            and value.shape == tensor.shape
            and tensor.is_floating_point()
        ):
            moved = max(moved, float((value.double() - tensor.double()).abs().max()))
    if moved < TEACHER_EFFECT:
        fail(
            f"the student moved exactly as plain cross-entropy would move it on {desc.en}: the "
            f"teacher's output has no effect on the update",
            f"学生的更新与普通交叉熵完全相同（{desc.zh}）：教师的输出对更新没有任何影响",
        )


# --- The teacher is frozen ----------------------------------------------------------------------


def _teacher_forwards(result: Any, desc: str) -> list[dict[str, bool]]:
    forwards = result.objects[1]["forwards"]
    if not forwards:
        fail(
            f"the teacher was never run on {desc.en}: its logits are the soft targets",
            f"教师模型从未被调用（{desc.zh}）：软目标来自教师的 logits",
        )
    return forwards


@pytest.mark.feedback(
    en="call teacher.eval(): in train mode its BatchNorm uses batch statistics (and dropout is on)",
    zh="调用 teacher.eval()：训练模式下教师的 BatchNorm 使用当前 batch 的统计量（dropout 也会生效）",
    hint=2,
)
def test_teacher_runs_in_eval_mode(submission: Any, seeds: list[int]) -> None:
    """The teacher runs in eval mode

    zh: 教师在 eval 模式下运行
    """
    case = _case(seeds[0], adversarial=True)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(
        temperature, alpha, Case("teacher handed over in train mode", "传入时教师处于训练模式")
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    forwards = _teacher_forwards(result, desc)
    bad = sum(1 for f in forwards if not f["eval"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran in train mode on {desc.en}",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次处于训练模式（{desc.zh}）",
        )


@pytest.mark.feedback(
    en="run the teacher inside `with torch.no_grad():` (only the teacher, not the student); "
    ".detach() afterwards gives the same numbers but the graph has already been built",
    zh="把教师的前向传播放进 `with torch.no_grad():`（只放教师，不要把学生也放进去）；"
    "事后再 .detach() 数值虽然一样，但计算图已经建好了",
    hint=2,
)
def test_teacher_runs_without_autograd(submission: Any, seeds: list[int]) -> None:
    """The teacher runs without autograd (no graph, no gradients)

    zh: 教师在不求导的情况下运行（不建计算图，没有梯度）
    """
    case = _case(seeds[0], adversarial=True)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(temperature, alpha)
    result = submission.distill_step.call(*case.args(temperature, alpha))
    forwards = _teacher_forwards(result, desc)
    bad = sum(1 for f in forwards if f["grad_enabled"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran with autograd on {desc.en}",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次开启了自动求导（{desc.zh}）",
        )
    with_grad = [name for name, has in result.objects[1]["has_grad"].items() if has]
    if with_grad:
        fail(
            f"{len(with_grad)} teacher parameters received gradients on {desc.en}",
            f"有 {len(with_grad)} 个教师参数得到了梯度（{desc.zh}）",
        )


@pytest.mark.feedback(
    en="nothing may change the teacher: eval mode keeps its BatchNorm statistics, and only the "
    "student's parameters are updated",
    zh="任何操作都不能改变教师：eval 模式保持其 BatchNorm 统计量，只有学生的参数会被更新",
    hint=1,
)
def test_teacher_is_unchanged(submission: Any, seeds: list[int]) -> None:
    """The teacher's weights and BatchNorm statistics are unchanged

    zh: 教师的权重和 BatchNorm 统计量没有改变
    """
    case = _case(seeds[0], adversarial=True)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(
        temperature, alpha, Case("teacher handed over in train mode", "传入时教师处于训练模式")
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    assert case.teacher.state is not None
    _expect_state(result.objects[1]["state"], case.teacher.state, desc, "teacher")


# --- The student learns -------------------------------------------------------------------------


@pytest.mark.feedback(
    en="call student.train(): the model you are handed may be in eval mode",
    zh="调用 student.train()：传进来的模型可能处于 eval 模式",
    hint=2,
)
def test_student_runs_in_train_mode(submission: Any, seeds: list[int]) -> None:
    """The student runs in train mode

    zh: 学生在训练模式下运行
    """
    case = _case(seeds[0], adversarial=True)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(
        temperature, alpha, Case("student handed over in eval mode", "传入时学生处于 eval 模式")
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    forwards = result.objects[0]["forwards"]
    if not forwards:
        fail(f"the student was never run on {desc.zh}", f"学生模型从未被调用（{desc.zh}）")
    bad = sum(1 for f in forwards if not f["training"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} student forward passes ran in eval mode on {desc.en}",
            f"{len(forwards)} 次学生前向传播中有 {bad} 次处于 eval 模式（{desc.zh}）",
        )


@pytest.mark.feedback(
    en="gradients accumulate in .grad until something clears them: call optimizer.zero_grad() "
    "before loss.backward()",
    zh="梯度会一直累加在 .grad 里，直到被清零：在 loss.backward() 之前调用 optimizer.zero_grad()",
    hint=3,
)
def test_gradients_are_cleared_before_backward(submission: Any, seeds: list[int]) -> None:
    """Old gradients are cleared before the backward pass

    zh: 反向传播之前清除了旧梯度
    """
    case = _case(seeds[0])
    student = dataclasses.replace(case.student, prefill_grads=True)  # a previous step's leftovers
    case = dataclasses.replace(case, student=student)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(
        temperature,
        alpha,
        Case("the student arrives with gradients from a previous step", "学生带着上一步遗留的梯度"),
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    backwards = result.objects[0]["backwards"]
    if not backwards:
        fail(
            f"no backward pass reached the student on {desc.zh}",
            f"没有反向传播到学生模型（{desc.zh}）",
        )
    if any(b["stale"] for b in backwards):
        fail(
            f"the backward pass added to gradients left from a previous step on {desc.en}",
            f"反向传播叠加在上一步遗留的梯度上（{desc.zh}）",
        )


@pytest.mark.feedback(
    en="the update follows from the loss: if the loss test passes, check that step() is called, "
    "after backward(), and that zero_grad() does not come between them",
    zh="更新由损失决定：如果损失的测试已经通过，就检查是否调用了 step()、是否在 backward() 之后调用，"
    "以及 zero_grad() 有没有夹在两者之间",
    hint=3,
)
def test_student_update_matches(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's weights and BatchNorm statistics after the step are right

    zh: 这一步之后学生的权重和 BatchNorm 统计量正确
    """
    case = _case(seeds[0])
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(temperature, alpha)
    result = submission.distill_step.call(*case.args(temperature, alpha))
    _, want = _reference_step(reference, case, temperature, alpha)
    _expect_state(result.objects[0]["state"], want, desc, "student")


@pytest.mark.feedback(
    en="use the optimizer you are given, as it is: its settings (momentum, Nesterov, weight decay) "
    "and its state belong to the caller",
    zh="使用传进来的优化器，原样使用：它的设置（动量、Nesterov、权重衰减）和状态都由调用者决定",
    hint=3,
)
def test_given_optimizer_is_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The optimizer it is given makes the update, with its own settings

    zh: 由传进来的优化器按它自己的设置完成更新
    """
    g = seeded(seeds[2])
    lr = [0.02, 0.05, 0.2][int(torch.randint(0, 3, (1,), generator=g))]
    momentum = [0.5, 0.8, 0.95][int(torch.randint(0, 3, (1,), generator=g))]
    decay = [1e-3, 1e-2][int(torch.randint(0, 2, (1,), generator=g))]
    sgd = {"lr": lr, "momentum": momentum, "nesterov": True, "weight_decay": decay}
    case = _case(seeds[0], sgd=sgd)
    temperature, alpha = _draw_t_alpha(seeds[1])
    desc = _describe(
        temperature,
        alpha,
        f"SGD lr={lr:g}, momentum={momentum:g}, nesterov=True, weight_decay={decay:g}",
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    _, want = _reference_step(reference, case, temperature, alpha)
    _expect_state(result.objects[0]["state"], want, desc, "student")


@pytest.mark.feedback(
    en="the update is the optimizer's step on the loss's gradients as they are, however large: "
    "nothing comes between backward() and step()",
    zh="更新就是优化器用损失的原始梯度走一步，无论梯度有多大：backward() 和 step() 之间不应再做任何处理",
    hint=3,
)
def test_large_gradients(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Large gradients give the reference update

    zh: 梯度很大时，更新仍与参考实现一致
    """
    case = _case(seeds[0], scale=LARGE_GRADIENTS)
    temperature, alpha = 4.0, 0.9
    desc = _describe(
        temperature,
        alpha,
        Case(
            f"output layers scaled by {LARGE_GRADIENTS:g} (large gradients)",
            f"输出层放大 {LARGE_GRADIENTS:g} 倍（梯度很大）",
        ),
    )
    result = submission.distill_step.call(*case.args(temperature, alpha))
    _, want = _reference_step(reference, case, temperature, alpha)
    _expect_state(result.objects[0]["state"], want, desc, "student")


@pytest.mark.feedback(
    en="with very confident logits, softmax gives exactly 0 for some classes and log(0) is −inf: "
    "get the log-probabilities without taking the log of probabilities",
    zh="logits 非常自信时，softmax 对某些类别会给出恰好为 0 的概率，而 log(0) = −inf："
    "求对数概率时不要先算出概率再取对数",
    hint=2,
)
def test_overconfident_models(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Very confident models give a finite loss and the reference update

    zh: 模型非常自信时，损失仍是有限值，更新仍与参考实现一致
    """
    case = _case(seeds[0], scale=OVERCONFIDENT)
    temperature, alpha = 1.0, _draw_t_alpha(seeds[1])[1]
    desc = _describe(
        temperature,
        alpha,
        Case(
            f"output layers scaled by {OVERCONFIDENT:g} (logit gaps above 100)",
            f"输出层放大 {OVERCONFIDENT:g} 倍（logit 差距超过 100）",
        ),
    )
    _expect_reference_step(submission, reference, case, temperature, alpha, desc)


# --- Edge cases ---------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="alpha weighs the soft term and 1 − alpha the cross-entropy: with alpha=0 the step is "
    "plain cross-entropy",
    zh="alpha 加权软项，1 − alpha 加权交叉熵：alpha=0 时这一步就是普通的交叉熵训练",
    hint=2,
)
def test_alpha_zero_is_cross_entropy(submission: Any, reference: Any, seeds: list[int]) -> None:
    """alpha=0 gives the plain cross-entropy step

    zh: alpha=0 时就是普通交叉熵的一步
    """
    case = _case(seeds[0])
    temperature, alpha = 4.0, 0.0
    desc = _describe(temperature, alpha)
    _expect_reference_step(submission, reference, case, temperature, alpha, desc)


@pytest.mark.feedback(
    en="with alpha=1 and T=1 the loss is the batch-mean KL(softmax(t) ‖ softmax(s)) alone: "
    "check the KL's direction and that F.kl_div gets log-probabilities first",
    zh="alpha=1、T=1 时损失只剩 batch 平均的 KL(softmax(t) ‖ softmax(s))：检查 KL 的方向，"
    "以及 F.kl_div 的第一个参数是否是对数概率",
    hint=2,
)
def test_pure_distillation(submission: Any, reference: Any, seeds: list[int]) -> None:
    """alpha=1, T=1 gives the pure KL step

    zh: alpha=1、T=1 时就是纯 KL 的一步
    """
    case = _case(seeds[0])
    temperature, alpha = 1.0, 1.0
    desc = _describe(temperature, alpha)
    _expect_reference_step(submission, reference, case, temperature, alpha, desc)
