"""Hidden suite for train_student: the distillation training loop.

Models and the optimizer cross the sandbox as specs (kdquiz.grading.builders): the submission gets
real, instrumented modules, and the reply says how every forward and backward pass ran. Each test
checks one rule of the loop, so a failure names the rule that was broken.

Two set-ups are used:
- "adversarial" (rule tests): the teacher arrives in train mode and the student in eval mode, so a
  loop that does not set the modes itself is caught;
- "natural" (value tests): teacher in eval mode, student in train mode, so a value test fails only
  because of the loop's arithmetic (zero_grad / backward / step order, the loss used, epochs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import torch

from kdquiz.grading.builders import (
    ModelSpec,
    OptimizerSpec,
    Stream,
    build_model,
    build_optimizer,
    init_state,
)
from kdquiz.grading.suite import expect_close, expect_float, fail, seeded

STUDENT = {"sizes": [8, 16, 5], "batchnorm": True, "dropout": 0.0}
TEACHER = {"sizes": [8, 32, 5], "batchnorm": True, "dropout": 0.0}
SGD = {"lr": 0.1, "momentum": 0.9}
BATCH = 6
FEATURES = 8
CLASSES = 5

STATE_ATOL = 1e-5
# Both output layers scaled by this (confident models): first-step gradient norms of about 20 to
# 170 (median about 50, over 100 seeds), where the other cases stay below about 2.5.
CONFIDENT = 30.0
LOSS_ATOL = 1e-5


@dataclass
class Case:
    student: ModelSpec
    teacher: ModelSpec
    loader: list[tuple[torch.Tensor, torch.Tensor]]
    optimizer: OptimizerSpec

    @property
    def args(self) -> tuple[Any, ...]:
        return (self.student, self.teacher, self.loader, self.optimizer)


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
    return state


def _case(
    seed: int,
    *,
    batches: int = 3,
    adversarial: bool = False,
    leftover_grads: bool = False,
    confident: float = 1.0,
    sgd: dict[str, Any] | None = None,
) -> Case:
    """``leftover_grads``: the student arrives with non-zero .grad (a previous step's);
    ``confident``: both models' output layers scaled by this factor (confident logits and large
    gradients); ``sgd``: other SGD settings than lr 0.1, momentum 0.9."""
    g = seeded(seed)
    loader = [
        (
            torch.randn(BATCH, FEATURES, generator=g),
            torch.randint(0, CLASSES, (BATCH,), generator=g),
        )
        for _ in range(batches)
    ]
    student_state = init_state("mlp", STUDENT, seed + 1)
    teacher_state = _teacher_state(seed + 2)
    if confident != 1.0:
        student_state["3.weight"] = confident * student_state["3.weight"]
        teacher_state["3.weight"] = confident * teacher_state["3.weight"]
    student = ModelSpec(
        "mlp", STUDENT, student_state, train=not adversarial, prefill_grads=leftover_grads
    )
    teacher = ModelSpec("mlp", TEACHER, teacher_state, train=adversarial)
    optimizer = OptimizerSpec("sgd", model_arg=0, options=sgd if sgd is not None else SGD)
    return Case(student, teacher, loader, optimizer)


def _describe(batches: int, epochs: int, extra: str = "") -> str:
    """A language-neutral description of a case, e.g. 'batches=3, B=6, epochs=2'."""
    text = f"batches={batches}, B={BATCH}, epochs={epochs}"
    return f"{text}, {extra}" if extra else text


def _reference_run(
    reference: Any, case: Case, loader: Any = None, **kwargs: Any
) -> tuple[list[float], dict[str, Any]]:
    """Run the reference loop in the judge on the same specs (and, if given, the same loader
    object); return losses and student state."""
    student, _ = build_model(case.student)
    teacher, _ = build_model(case.teacher)
    optimizer = build_optimizer(case.optimizer, student)
    if loader is None:
        loader = [(x.clone(), y.clone()) for x, y in case.loader]
    losses = reference.train_student(student, teacher, loader, optimizer, **kwargs)
    state = {k: v.detach().clone() for k, v in student.state_dict().items()}
    return losses, state


def _passes(batches: list[Any], reshuffle: int, count: int) -> list[list[int]]:
    """The order (as batch positions) of each of the first ``count`` passes over a Stream."""
    positions = Stream(tuple(range(len(batches))), reshuffle=reshuffle).iterable()
    return [list(positions) for _ in range(count)]


def _loss_list(value: Any, steps: int, case: str) -> list[Any]:
    """The returned losses as a list of the right length (or a learner-facing failure)."""
    if not isinstance(value, (list, tuple)):
        name = type(value).__name__
        fail(
            f"returned a {name} on {case}, expected a list of floats",
            f"返回了 {name}（{case}），应返回由 float 组成的 list",
        )
    if len(value) != steps:
        fail(
            f"returned {len(value)} value{'s' if len(value) != 1 else ''} on {case}, expected "
            f"one loss per optimisation step ({steps})",
            f"返回了 {len(value)} 个值（{case}），应每个优化步返回一个损失值（共 {steps} 个）",
        )
    return list(value)


def _expect_losses(got: Any, want: list[float], case: str) -> None:
    values = _loss_list(got, len(want), case)
    for step, (g, w) in enumerate(zip(values, want, strict=True), start=1):
        expect_float(
            g,
            float(w),
            atol=LOSS_ATOL,
            rtol=1e-4,
            case=f"{case}, step {step}",
            what="loss",
            what_zh="损失值",
        )


def _expect_state(got: dict[str, Any], want: dict[str, Any], case: str, whose: str) -> None:
    whose_zh = {"student": "学生", "teacher": "教师"}[whose]
    for key, tensor in want.items():
        if key not in got:
            fail(
                f"the {whose} has no entry {key} after the call on {case}",
                f"调用后{whose_zh}缺少 {key}（{case}）",
            )
        expect_close(
            got[key],
            tensor,
            atol=STATE_ATOL if whose == "student" else 0.0,
            rtol=1e-4 if whose == "student" else 0.0,
            case=case,
            what=f"the {whose}'s {key}",
            what_zh=f"{whose_zh}的 {key} ",
        )


# --- What is returned --------------------------------------------------------------------------


@pytest.mark.feedback(
    en="append one value per batch, inside the inner loop, for every epoch",
    zh="每个 epoch 的每个 batch 都要在内层循环里追加一个值",
    hint=3,
)
def test_returns_one_entry_per_step(submission: Any, seeds: list[int]) -> None:
    """Returns a list with one loss per optimisation step"""
    case = _case(seeds[0])
    desc = _describe(3, 1)
    value = submission.train_student(*case.args)
    if type(value) is not list:
        name = type(value).__name__
        fail(
            f"returned a {name} on {desc}, expected a list", f"返回了 {name}（{desc}），应返回 list"
        )
    _loss_list(value, 3, desc)


@pytest.mark.feedback(
    en="record loss.item(): a stored tensor keeps the whole step's graph alive",
    zh="记录 loss.item()：保存张量会让整个计算图一直留在内存里",
    hint=3,
)
def test_entries_are_python_floats(submission: Any, seeds: list[int]) -> None:
    """Each loss is a Python float, not a tensor"""
    case = _case(seeds[0])
    desc = _describe(3, 1)
    value = submission.train_student(*case.args)
    if not isinstance(value, (list, tuple)) or not value:
        fail(
            f"did not return a non-empty list on {desc}",
            f"没有返回非空的 list（{desc}）",
        )
    for step, item in enumerate(value, start=1):
        if type(item) is not float:
            name = type(item).__name__
            fail(
                f"entry {step} is a {name} on {desc}, expected a Python float",
                f"第 {step} 个元素是 {name}（{desc}），应为 Python float",
            )


# --- The teacher is frozen ----------------------------------------------------------------------


def _teacher_forwards(result: Any, desc: str) -> list[dict[str, bool]]:
    forwards = result.objects[1]["forwards"]
    if not forwards:
        fail(
            f"the teacher was never run on {desc}: its logits are the soft targets",
            f"教师模型从未被调用（{desc}）：软目标来自教师的 logits",
        )
    return forwards


@pytest.mark.feedback(
    en="call teacher.eval(): in train mode its BatchNorm uses batch statistics (and dropout is on)",
    zh="调用 teacher.eval()：训练模式下教师的 BatchNorm 使用当前 batch 的统计量（dropout 也会生效）",
    hint=2,
)
def test_teacher_runs_in_eval_mode(submission: Any, seeds: list[int]) -> None:
    """The teacher runs in eval mode"""
    case = _case(seeds[0], adversarial=True)
    desc = _describe(3, 2)
    result = submission.train_student.call(*case.args, epochs=2)
    forwards = _teacher_forwards(result, desc)
    bad = sum(1 for f in forwards if not f["eval"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran in train mode on {desc} "
            "(the teacher was handed over in train mode)",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次处于训练模式（{desc}；传入时教师处于训练模式）",
        )


@pytest.mark.feedback(
    en="run the teacher inside `with torch.no_grad():` (only the teacher, not the student)",
    zh="把教师的前向传播放进 `with torch.no_grad():`（只放教师，不要把学生也放进去）",
    hint=2,
)
def test_teacher_runs_without_autograd(submission: Any, seeds: list[int]) -> None:
    """The teacher runs without autograd (no graph, no gradients)"""
    case = _case(seeds[0], adversarial=True)
    desc = _describe(3, 2)
    result = submission.train_student.call(*case.args, epochs=2)
    forwards = _teacher_forwards(result, desc)
    bad = sum(1 for f in forwards if f["grad_enabled"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran with autograd on {desc}",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次开启了自动求导（{desc}）",
        )
    with_grad = [name for name, has in result.objects[1]["has_grad"].items() if has]
    if with_grad:
        fail(
            f"{len(with_grad)} teacher parameters received gradients on {desc}",
            f"有 {len(with_grad)} 个教师参数得到了梯度（{desc}）",
        )


@pytest.mark.feedback(
    en="nothing may update the teacher: eval mode keeps its BatchNorm statistics, and only the "
    "student's parameters belong to the optimizer",
    zh="任何操作都不能改变教师：eval 模式保持其 BatchNorm 统计量，优化器里只能有学生的参数",
    hint=1,
)
def test_teacher_is_unchanged(submission: Any, seeds: list[int]) -> None:
    """The teacher's weights and BatchNorm statistics are unchanged"""
    case = _case(seeds[0], adversarial=True)
    desc = _describe(3, 2)
    result = submission.train_student.call(*case.args, epochs=2)
    assert case.teacher.state is not None
    _expect_state(result.objects[1]["state"], case.teacher.state, desc, "teacher")


# --- The student learns -------------------------------------------------------------------------


@pytest.mark.feedback(
    en="call student.train(): the model you are handed may be in eval mode",
    zh="调用 student.train()：传进来的模型可能处于 eval 模式",
    hint=2,
)
def test_student_runs_in_train_mode(submission: Any, seeds: list[int]) -> None:
    """The student runs in train mode"""
    case = _case(seeds[0], adversarial=True)
    desc = _describe(3, 2)
    result = submission.train_student.call(*case.args, epochs=2)
    forwards = result.objects[0]["forwards"]
    if not forwards:
        fail(f"the student was never run on {desc}", f"学生模型从未被调用（{desc}）")
    bad = sum(1 for f in forwards if not f["training"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} student forward passes ran in eval mode on {desc} "
            "(the student was handed over in eval mode)",
            f"{len(forwards)} 次学生前向传播中有 {bad} 次处于 eval 模式（{desc}；传入时学生处于 eval 模式）",
        )


@pytest.mark.feedback(
    en="call optimizer.zero_grad() at every step: .backward() adds to the gradients already there",
    zh="每一步都要调用 optimizer.zero_grad()：.backward() 会把梯度累加到已有的梯度上",
    hint=3,
)
def test_gradients_are_cleared_every_step(submission: Any, seeds: list[int]) -> None:
    """Gradients are cleared before every backward pass"""
    case = _case(seeds[0], adversarial=True, leftover_grads=True)
    desc = _describe(3, 2, "the student arrives with gradients left from an earlier step")
    result = submission.train_student.call(*case.args, epochs=2)
    backwards = result.objects[0]["backwards"]
    if not backwards:
        fail(
            f"no gradient ever reached the student on {desc}: is loss.backward() called?",
            f"学生从未得到梯度（{desc}）：调用 loss.backward() 了吗？",
        )
    stale = sum(1 for b in backwards if b["stale"])
    if stale:
        fail(
            f"{stale} of {len(backwards)} backward passes added to the previous step's gradients "
            f"on {desc}",
            f"{len(backwards)} 次反向传播中有 {stale} 次把梯度累加到了上一步的梯度上（{desc}）",
        )


# --- The results match the reference ------------------------------------------------------------


@pytest.mark.feedback(
    en="the loss is distillation_loss(student logits, teacher logits, y, temperature, alpha) on "
    "the step's batch: are the teacher's logits really fed into it?",
    zh="损失应是该 batch 上的 distillation_loss(学生 logits, 教师 logits, y, temperature, alpha)："
    "教师的 logits 真的传进去了吗？",
    hint=3,
)
def test_first_loss_is_the_distillation_loss(
    submission: Any, reference: Any, seeds: list[int]
) -> None:
    """The first step's loss is the distillation loss of the first batch"""
    case = _case(seeds[0])
    desc = _describe(3, 1)
    got = submission.train_student(*case.args)
    want, _ = _reference_run(reference, case)
    values = _loss_list(got, len(want), desc)
    _expect_losses(values[:1], want[:1], desc)


@pytest.mark.feedback(
    en="pass temperature and alpha on to distillation_loss at every step, instead of relying on "
    "its defaults",
    zh="每一步都把 temperature 和 alpha 传给 distillation_loss，不要依赖它的默认值",
    hint=3,
)
def test_temperature_and_alpha_are_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """temperature and alpha are passed on to the loss at every step"""
    g = seeded(seeds[1])
    temperature = [1.0, 2.0, 3.0, 6.0][int(torch.randint(0, 4, (1,), generator=g))]
    alpha = [0.2, 0.7, 0.9][int(torch.randint(0, 3, (1,), generator=g))]
    case = _case(seeds[0])
    desc = _describe(3, 2, f"T={temperature:g}, alpha={alpha:g}")
    result = submission.train_student.call(
        *case.args, temperature=temperature, alpha=alpha, epochs=2
    )
    want, want_state = _reference_run(
        reference, case, temperature=temperature, alpha=alpha, epochs=2
    )
    values = _loss_list(result.value, len(want), desc)
    _expect_losses(values[:1], want[:1], desc)  # the first step first: the clearest failure
    _expect_losses(values, want, desc)
    _expect_state(result.objects[0]["state"], want_state, desc, "student")


@pytest.mark.feedback(
    en="each step is zero_grad → forward → loss → backward → step, and records its own loss",
    zh="每一步依次是 zero_grad → 前向 → 计算损失 → backward → step，并记录这一步自己的损失",
    hint=3,
)
def test_every_loss_is_right(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Every recorded loss is right (the updates between steps work)"""
    case = _case(seeds[0])
    desc = _describe(3, 1)
    got = submission.train_student(*case.args)
    want, _ = _reference_run(reference, case)
    _expect_losses(got, want, desc)


@pytest.mark.feedback(
    en="check the order zero_grad → backward → step, and that the loss really uses the "
    "teacher's logits",
    zh="检查顺序是否为 zero_grad → backward → step，以及损失是否真的用到了教师的 logits",
    hint=3,
)
def test_student_weights_match(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's weights and BatchNorm statistics after training are right"""
    case = _case(seeds[0])
    desc = _describe(3, 1)
    result = submission.train_student.call(*case.args)
    _, want = _reference_run(reference, case)
    _expect_state(result.objects[0]["state"], want, desc, "student")


@pytest.mark.feedback(
    en="use the optimizer you are given, as it is: its learning rate and momentum are the "
    "caller's choice, and it must keep its state from step to step",
    zh="使用传进来的优化器，原样使用：学习率和动量由调用者决定，而且它的状态要一步步保留下来",
    hint=3,
)
def test_given_optimizer_is_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The optimizer it is given does the updates, with its own settings"""
    g = seeded(seeds[1])
    lr = [0.02, 0.05, 0.2, 0.3][int(torch.randint(0, 4, (1,), generator=g))]
    momentum = [0.5, 0.7, 0.8, 0.95][int(torch.randint(0, 4, (1,), generator=g))]
    case = _case(seeds[0], sgd={"lr": lr, "momentum": momentum})
    desc = _describe(3, 2, f"SGD lr={lr:g}, momentum={momentum:g}")
    result = submission.train_student.call(*case.args, epochs=2)
    want_losses, want_state = _reference_run(reference, case, epochs=2)
    _expect_losses(result.value, want_losses, desc)
    _expect_state(result.objects[0]["state"], want_state, desc, "student")


@pytest.mark.feedback(
    en="each step applies the gradients of the loss as they are, however large: nothing comes "
    "between backward() and step()",
    zh="每一步都原样应用损失的梯度，无论梯度有多大：backward() 和 step() 之间不应再做任何处理",
    hint=3,
)
def test_large_gradients(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Confident models (large gradients) train like the reference"""
    case = _case(seeds[0], confident=CONFIDENT)
    desc = _describe(
        3, 1, f"output layers of both models scaled by {CONFIDENT:g} (large gradients)"
    )
    result = submission.train_student.call(*case.args)
    want_losses, want_state = _reference_run(reference, case)
    _expect_losses(result.value, want_losses, desc)
    _expect_state(result.objects[0]["state"], want_state, desc, "student")


# --- Edge cases ---------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="loop over the loader once per epoch with `for x, y in loader:` (it may be any iterable: "
    "no len(), no indexing, and a shuffling loader gives the batches in another order each "
    "epoch, so teacher outputs cannot be paired with batches by position), and keep the losses "
    "of every epoch",
    zh="每个 epoch 用 `for x, y in loader:` 遍历一次 loader（它可以是任何可迭代对象：不能用 len()，"
    "也不能用下标；会打乱顺序的 loader 每个 epoch 给出的 batch 顺序都不同，所以不能按位置把教师输出和 batch 对应起来），"
    "并保留所有 epoch 的损失值",
    hint=4,
)
def test_two_epochs(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Two epochs go through the loader twice, whatever kind of iterable it is"""
    case = _case(seeds[0])
    desc = _describe(
        3, 2, "the loader an iterable without len() or indexing that reshuffles every epoch"
    )
    # The loader arrives as a plain iterable that yields its batches in a fresh order on every
    # pass, like DataLoader(shuffle=True): iterating it once per epoch is all a loop may do.
    reshuffle = seeds[1]
    while list(_passes(case.loader, reshuffle, 2)[0]) == list(
        _passes(case.loader, reshuffle, 2)[1]
    ):
        reshuffle += 1
    loader = Stream(tuple(case.loader), reshuffle=reshuffle)
    result = submission.train_student.call(
        case.student, case.teacher, loader, case.optimizer, epochs=2
    )
    want_losses, want_state = _reference_run(reference, case, loader.iterable(), epochs=2)
    _expect_losses(result.value, want_losses, desc)
    _expect_state(result.objects[0]["state"], want_state, desc, "student")


def test_single_batch(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A loader with a single batch gives a single step"""
    case = _case(seeds[0], batches=1)
    desc = _describe(1, 1)
    result = submission.train_student.call(*case.args)
    want_losses, want_state = _reference_run(reference, case)
    _expect_losses(result.value, want_losses, desc)
    _expect_state(result.objects[0]["state"], want_state, desc, "student")
