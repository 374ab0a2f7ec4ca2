"""Hidden suite for train_student: the distillation loop with per-epoch validation, the best
student kept.

train_student(student, teacher, loader, val_loader, optimizer, temperature=4.0, alpha=0.5,
epochs=1) -> {"losses": [...], "val_accuracy": [...], "best_epoch": int}

Models and the optimizer cross the sandbox as specs (kdquiz.grading.builders): the submission gets
real, instrumented modules, and the reply says how every forward and backward pass ran (in order)
and what state each model ended in. Each test checks one rule of the loop, so a failure names the
rule that was broken.

Two set-ups are used:
- "adversarial" (rule tests): the teacher arrives in train mode and the student in eval mode, so a
  loop that does not set the modes itself is caught;
- "natural" (value tests): teacher in eval mode, student in train mode, so a value test fails only
  because of the loop's arithmetic or its model selection.
The model-selection tests search (in the judge, with the reference) for fresh cases where the best
epoch is not the last one, and where two epochs tie for the best accuracy.
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
from kdquiz.grading.suite import Case, expect_close, expect_float, fail, seeded

STUDENT = {"sizes": [8, 16, 5], "batchnorm": True, "dropout": 0.0}
TEACHER = {"sizes": [8, 32, 5], "batchnorm": True, "dropout": 0.0}
SGD = {"lr": 0.1, "momentum": 0.9}
BATCH = 6
FEATURES = 8
CLASSES = 5
VAL_SIZES = (7, 7, 1)  # a last batch of one: per-batch accuracies averaged are visibly wrong

STATE_ATOL = 1e-5
LOSS_ATOL = 1e-5
# Both output layers scaled by this (confident models): first-step gradient norms of about 20 to
# 170 (median about 50, over 100 seeds), where the other cases stay below about 2.5.
CONFIDENT = 30.0


@dataclass(frozen=True)
class Setup:
    student: ModelSpec
    teacher: ModelSpec
    loader: list[tuple[torch.Tensor, torch.Tensor]]
    val_loader: list[tuple[torch.Tensor, torch.Tensor]]
    optimizer: OptimizerSpec

    @property
    def args(self) -> tuple[Any, ...]:
        return (self.student, self.teacher, self.loader, self.val_loader, self.optimizer)


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


def _setup(
    seed: int,
    *,
    batches: int = 3,
    adversarial: bool = False,
    leftover_grads: bool = False,
    confident: float = 1.0,
    sgd: dict[str, Any] | None = None,
) -> Setup:
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
    val_loader = [
        (torch.randn(n, FEATURES, generator=g), torch.randint(0, CLASSES, (n,), generator=g))
        for n in VAL_SIZES
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
    return Setup(student, teacher, loader, val_loader, optimizer)


def _describe(batches: int, epochs: int, extra: Case | None = None) -> Case:
    """A case description, e.g. 'batches=3, B=6, epochs=2, validation 7+7+1'."""
    text = f"batches={batches}, B={BATCH}, epochs={epochs}, validation 7+7+1"
    if extra is None:
        return Case(text, text)
    return Case(f"{text}, {extra.en}", f"{text}，{extra.zh}")


ADVERSARIAL = Case(
    "teacher handed over in train mode, student in eval mode",
    "传入时教师处于训练模式、学生处于 eval 模式",
)


def _reference_run(
    reference: Any, setup: Setup, loader: Any = None, **kwargs: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the reference in the judge on the same specs (and, if given, the same loader object);
    return its history and the student's final state."""
    student, _ = build_model(setup.student)
    teacher, _ = build_model(setup.teacher)
    optimizer = build_optimizer(setup.optimizer, student)
    if loader is None:
        loader = [(x.clone(), y.clone()) for x, y in setup.loader]
    val_loader = [(x.clone(), y.clone()) for x, y in setup.val_loader]
    history = reference.train_student(student, teacher, loader, val_loader, optimizer, **kwargs)
    state = {k: v.detach().clone() for k, v in student.state_dict().items()}
    return history, state


def _passes(batches: list[Any], reshuffle: int, count: int) -> list[list[int]]:
    """The order (as batch positions) of each of the first ``count`` passes over a Stream."""
    positions = Stream(tuple(range(len(batches))), reshuffle=reshuffle).iterable()
    return [list(positions) for _ in range(count)]


def _history(value: Any, steps: int, epochs: int, case: Case) -> dict[str, Any]:
    """The returned history, checked for its keys, types and lengths."""
    if type(value) is not dict:
        name = type(value).__name__
        fail(
            f"returned a {name} on {case.en}, expected a dict with 'losses', 'val_accuracy' "
            "and 'best_epoch'",
            f"返回了 {name}（{case.zh}），应返回包含 'losses'、'val_accuracy' 和 'best_epoch' 的 dict",
        )
    for key, length, what, what_zh in (
        ("losses", steps, "one loss per optimisation step", "每个优化步一个损失值"),
        ("val_accuracy", epochs, "one accuracy per epoch", "每个 epoch 一个准确率"),
    ):
        items = value.get(key)
        if type(items) is not list:
            fail(
                f"value['{key}'] is a {type(items).__name__} on {case.en}, expected a list",
                f"value['{key}'] 的类型是 {type(items).__name__}（{case.zh}），应为 list",
            )
        if len(items) != length:
            fail(
                f"value['{key}'] has {len(items)} entries on {case.en}, expected {what} ({length})",
                f"value['{key}'] 有 {len(items)} 个元素（{case.zh}），应为{what_zh}（共 {length} 个）",
            )
        for index, item in enumerate(items, start=1):
            if type(item) is not float:
                fail(
                    f"entry {index} of value['{key}'] is a {type(item).__name__} on {case.en}, "
                    "expected a Python float",
                    f"value['{key}'] 的第 {index} 个元素是 {type(item).__name__}（{case.zh}），"
                    "应为 Python float",
                )
    if type(value.get("best_epoch")) is not int:
        fail(
            f"value['best_epoch'] is a {type(value.get('best_epoch')).__name__} on {case.en}, "
            "expected an int (the index of the best epoch, from 0)",
            f"value['best_epoch'] 的类型是 {type(value.get('best_epoch')).__name__}（{case.zh}），"
            "应为 int（最佳 epoch 的下标，从 0 开始）",
        )
    return value


def _expect_losses(got: list[float], want: list[float], case: Case) -> None:
    for step, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        expect_float(
            g,
            float(w),
            atol=LOSS_ATOL,
            rtol=1e-4,
            case=Case(f"{case.en}, step {step}", f"{case.zh}，第 {step} 步"),
            what="loss",
            what_zh="损失值",
        )


def _expect_state(got: dict[str, Any], want: dict[str, Any], case: Case, whose: str) -> None:
    whose_zh = {"student": "学生", "teacher": "教师"}[whose]
    for key, tensor in want.items():
        if key not in got:
            fail(
                f"the {whose} has no entry {key} after the call on {case.en}",
                f"调用后{whose_zh}缺少 {key}（{case.zh}）",
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
    en="return {'losses': [one loss.item() per step], 'val_accuracy': [one float per epoch], "
    "'best_epoch': index of the best epoch, from 0}",
    zh="返回 {'losses': [每步一个 loss.item()], 'val_accuracy': [每个 epoch 一个 float], "
    "'best_epoch': 最佳 epoch 的下标（从 0 开始）}",
    hint=4,
)
def test_returns_the_history(submission: Any, seeds: list[int]) -> None:
    """Returns the losses, the validation accuracies and the best epoch as plain Python values

    zh: 以普通 Python 值返回损失、验证准确率和最佳 epoch
    """
    setup = _setup(seeds[0])
    case = _describe(3, 2)
    _history(submission.train_student(*setup.args, epochs=2), 6, 2, case)


# --- The teacher is frozen ----------------------------------------------------------------------


def _teacher_forwards(result: Any, case: Case) -> list[dict[str, bool]]:
    forwards = result.objects[1]["forwards"]
    if not forwards:
        fail(
            f"the teacher was never run on {case.en}: its logits are the soft targets",
            f"教师模型从未被调用（{case.zh}）：软目标来自教师的 logits",
        )
    return forwards


@pytest.mark.feedback(
    en="call teacher.eval(): in train mode its BatchNorm uses batch statistics (and dropout is on)",
    zh="调用 teacher.eval()：训练模式下教师的 BatchNorm 使用当前 batch 的统计量（dropout 也会生效）",
    hint=1,
)
def test_teacher_runs_in_eval_mode(submission: Any, seeds: list[int]) -> None:
    """The teacher runs in eval mode

    zh: 教师在 eval 模式下运行
    """
    setup = _setup(seeds[0], adversarial=True)
    case = _describe(3, 2, ADVERSARIAL)
    result = submission.train_student.call(*setup.args, epochs=2)
    forwards = _teacher_forwards(result, case)
    bad = sum(1 for f in forwards if not f["eval"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran in train mode on {case.en}",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次处于训练模式（{case.zh}）",
        )


@pytest.mark.feedback(
    en="run the teacher inside `with torch.no_grad():` (only the teacher, not the student)",
    zh="把教师的前向传播放进 `with torch.no_grad():`（只放教师，不要把学生也放进去）",
    hint=1,
)
def test_teacher_runs_without_autograd(submission: Any, seeds: list[int]) -> None:
    """The teacher runs without autograd (no graph, no gradients)

    zh: 教师在不求导的情况下运行（不建计算图，没有梯度）
    """
    setup = _setup(seeds[0], adversarial=True)
    case = _describe(3, 2, ADVERSARIAL)
    result = submission.train_student.call(*setup.args, epochs=2)
    forwards = _teacher_forwards(result, case)
    bad = sum(1 for f in forwards if f["grad_enabled"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} teacher forward passes ran with autograd on {case.en}",
            f"{len(forwards)} 次教师前向传播中有 {bad} 次开启了自动求导（{case.zh}）",
        )
    with_grad = [name for name, has in result.objects[1]["has_grad"].items() if has]
    if with_grad:
        fail(
            f"{len(with_grad)} teacher parameters received gradients on {case.en}",
            f"有 {len(with_grad)} 个教师参数得到了梯度（{case.zh}）",
        )


@pytest.mark.feedback(
    en="nothing may update the teacher: eval mode keeps its BatchNorm statistics, and only the "
    "student's parameters belong to the optimizer",
    zh="任何操作都不能改变教师：eval 模式保持其 BatchNorm 统计量，优化器里只能有学生的参数",
    hint=1,
)
def test_teacher_is_unchanged(submission: Any, seeds: list[int]) -> None:
    """The teacher's weights and BatchNorm statistics are unchanged

    zh: 教师的权重和 BatchNorm 统计量没有改变
    """
    setup = _setup(seeds[0], adversarial=True)
    case = _describe(3, 2, ADVERSARIAL)
    result = submission.train_student.call(*setup.args, epochs=2)
    assert setup.teacher.state is not None
    _expect_state(result.objects[1]["state"], setup.teacher.state, case, "teacher")


# --- The student: training and evaluation phases ------------------------------------------------


def _phases(result: Any, batches: int, epochs: int, case: Case) -> list[tuple[str, dict]]:
    """The student's forward passes labelled 'train' or 'eval' in the expected order: per epoch,
    one per training batch, then one per validation batch."""
    forwards = result.objects[0]["forwards"]
    expected = epochs * (batches + len(VAL_SIZES))
    if len(forwards) != expected:
        fail(
            f"the student ran {len(forwards)} times on {case.en}, expected {expected}: each "
            f"epoch one forward pass per training batch ({batches}), then one per validation "
            f"batch ({len(VAL_SIZES)})",
            f"学生运行了 {len(forwards)} 次（{case.zh}），应为 {expected} 次：每个 epoch 先对每个训练 batch "
            f"各前向一次（{batches} 次），再对每个验证 batch 各前向一次（{len(VAL_SIZES)} 次）",
        )
    pattern = (["train"] * batches + ["eval"] * len(VAL_SIZES)) * epochs
    return list(zip(pattern, forwards, strict=True))


@pytest.mark.feedback(
    en="call student.train() at the start of EVERY epoch: the evaluation after the previous "
    "epoch put it in eval mode (and the model you are handed may be in eval mode too)",
    zh="在“每个” epoch 开始时调用 student.train()：上一个 epoch 之后的评估把它切到了 eval 模式"
    "（传进来的模型也可能处于 eval 模式）",
    hint=2,
)
def test_student_trains_in_train_mode(submission: Any, seeds: list[int]) -> None:
    """Every training step of every epoch runs the student in train mode

    zh: 每个 epoch 的每个训练步中学生都处于训练模式
    """
    setup = _setup(seeds[0], adversarial=True)
    case = _describe(3, 3, ADVERSARIAL)
    result = submission.train_student.call(*setup.args, epochs=3)
    phases = _phases(result, 3, 3, case)
    bad = sum(
        1 for phase, f in phases if phase == "train" and not (f["training"] and f["grad_enabled"])
    )
    if bad:
        fail(
            f"{bad} of the 9 training forward passes ran in eval mode (or without autograd) on "
            f"{case.en}",
            f"9 次训练前向传播中有 {bad} 次处于 eval 模式（或没有开启自动求导）（{case.zh}）",
        )


@pytest.mark.feedback(
    en="evaluate with student.eval() and under torch.no_grad(): in train mode BatchNorm would "
    "normalise with the validation batch's statistics and write them into its running ones",
    zh="评估时要调用 student.eval() 并放在 torch.no_grad() 里：训练模式下 BatchNorm 会用验证 batch "
    "的统计量做归一化，并把它们写进 running 统计量",
    hint=2,
)
def test_evaluation_in_eval_mode_without_autograd(submission: Any, seeds: list[int]) -> None:
    """The validation passes run in eval mode, without autograd

    zh: 验证时的前向传播处于 eval 模式，并且不求导
    """
    setup = _setup(seeds[1])
    case = _describe(3, 2)
    result = submission.train_student.call(*setup.args, epochs=2)
    phases = _phases(result, 3, 2, case)
    bad = sum(
        1 for phase, f in phases if phase == "eval" and not (f["eval"] and not f["grad_enabled"])
    )
    if bad:
        fail(
            f"{bad} of the 6 validation forward passes ran in train mode or with autograd on "
            f"{case.en}",
            f"6 次验证前向传播中有 {bad} 次处于训练模式或开启了自动求导（{case.zh}）",
        )


@pytest.mark.feedback(
    en="call optimizer.zero_grad() at every step: .backward() adds to the gradients already there",
    zh="每一步都要调用 optimizer.zero_grad()：.backward() 会把梯度累加到已有的梯度上",
    hint=3,
)
def test_gradients_are_cleared_every_step(submission: Any, seeds: list[int]) -> None:
    """Gradients are cleared before every backward pass

    zh: 每次反向传播之前都清除了梯度
    """
    setup = _setup(seeds[0], leftover_grads=True)
    case = _describe(
        3,
        2,
        Case(
            "the student arrives with gradients left from an earlier step", "学生带着之前遗留的梯度"
        ),
    )
    result = submission.train_student.call(*setup.args, epochs=2)
    backwards = result.objects[0]["backwards"]
    if not backwards:
        fail(
            f"no gradient ever reached the student on {case.en}: is loss.backward() called?",
            f"学生从未得到梯度（{case.zh}）：调用 loss.backward() 了吗？",
        )
    stale = sum(1 for b in backwards if b["stale"])
    if stale:
        fail(
            f"{stale} of {len(backwards)} backward passes added to the previous step's gradients "
            f"on {case.en}",
            f"{len(backwards)} 次反向传播中有 {stale} 次把梯度累加到了上一步的梯度上（{case.zh}）",
        )


# --- The training values ------------------------------------------------------------------------


@pytest.mark.feedback(
    en="each step is zero_grad → forward → distillation_loss(s, t, y, temperature, alpha) → "
    "backward → step, and records its own loss.item(): are the teacher's logits, temperature and "
    "alpha really passed on?",
    zh="每一步依次是 zero_grad → 前向 → distillation_loss(s, t, y, temperature, alpha) → backward → step，"
    "并记录这一步自己的 loss.item()：教师的 logits、temperature 和 alpha 真的传进去了吗？",
    hint=3,
)
def test_losses_match(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Every step's loss matches, with the given temperature and alpha

    zh: 给定 temperature 和 alpha 时，每一步的损失都一致
    """
    g = seeded(seeds[1])
    temperature = [1.0, 2.0, 3.0, 6.0][int(torch.randint(0, 4, (1,), generator=g))]
    alpha = [0.2, 0.7, 0.9][int(torch.randint(0, 3, (1,), generator=g))]
    setup = _setup(seeds[0])
    case = _describe(
        3, 2, Case(f"T={temperature:g}, alpha={alpha:g}", f"T={temperature:g}，alpha={alpha:g}")
    )
    got = submission.train_student(*setup.args, temperature=temperature, alpha=alpha, epochs=2)
    want, _ = _reference_run(reference, setup, temperature=temperature, alpha=alpha, epochs=2)
    history = _history(got, 6, 2, case)
    _expect_losses(history["losses"], want["losses"], case)


@pytest.mark.feedback(
    en="use the optimizer you are given, as it is: its learning rate and momentum are the "
    "caller's choice, and it must keep its state from step to step",
    zh="使用传进来的优化器，原样使用：学习率和动量由调用者决定，而且它的状态要一步步保留下来",
    hint=3,
)
def test_given_optimizer_is_used(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The optimizer it is given does the updates, with its own settings

    zh: 由传进来的优化器按它自己的设置完成更新
    """
    g = seeded(seeds[1])
    lr = [0.02, 0.05, 0.2, 0.3][int(torch.randint(0, 4, (1,), generator=g))]
    momentum = [0.5, 0.7, 0.8, 0.95][int(torch.randint(0, 4, (1,), generator=g))]
    setup = _setup(seeds[0], sgd={"lr": lr, "momentum": momentum})
    case = _describe(
        3, 1, Case(f"SGD lr={lr:g}, momentum={momentum:g}", f"SGD lr={lr:g}，momentum={momentum:g}")
    )
    result = submission.train_student.call(*setup.args)
    want, want_state = _reference_run(reference, setup)
    _expect_losses(_history(result.value, 3, 1, case)["losses"], want["losses"], case)
    _expect_state(result.objects[0]["state"], want_state, case, "student")


@pytest.mark.feedback(
    en="each step applies the gradients of the loss as they are, however large: nothing comes "
    "between backward() and step()",
    zh="每一步都原样应用损失的梯度，无论梯度有多大：backward() 和 step() 之间不应再做任何处理",
    hint=3,
)
def test_large_gradients(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Confident models (large gradients) train like the reference

    zh: 模型很自信（梯度很大）时，训练结果与参考实现一致
    """
    setup = _setup(seeds[0], confident=CONFIDENT)
    case = _describe(
        3,
        1,
        Case(
            f"output layers of both models scaled by {CONFIDENT:g} (large gradients)",
            f"两个模型的输出层都放大 {CONFIDENT:g} 倍（梯度很大）",
        ),
    )
    result = submission.train_student.call(*setup.args)
    want, want_state = _reference_run(reference, setup)
    _expect_losses(_history(result.value, 3, 1, case)["losses"], want["losses"], case)
    _expect_state(result.objects[0]["state"], want_state, case, "student")


@pytest.mark.feedback(
    en="loop over the loader once per epoch with `for x, y in loader:` (it may be any iterable: "
    "no len(), no indexing, and a shuffling loader gives the batches in another order each "
    "epoch, so teacher outputs cannot be cached by position)",
    zh="每个 epoch 用 `for x, y in loader:` 遍历一次 loader（它可以是任何可迭代对象：不能用 len()，"
    "也不能用下标；会打乱顺序的 loader 每个 epoch 给出的 batch 顺序都不同，所以不能按位置缓存教师输出）",
    hint=4,
)
def test_reshuffling_loader(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Several epochs over a loader that reshuffles every epoch

    zh: 在每个 epoch 都重新打乱顺序的 loader 上训练多个 epoch
    """
    setup = _setup(seeds[0])
    case = _describe(
        3,
        2,
        Case(
            "the loader an iterable without len() or indexing that reshuffles every epoch",
            "loader 是没有 len() 和下标、每个 epoch 都重新打乱顺序的可迭代对象",
        ),
    )
    reshuffle = seeds[1]
    while _passes(setup.loader, reshuffle, 2)[0] == _passes(setup.loader, reshuffle, 2)[1]:
        reshuffle += 1
    loader = Stream(tuple(setup.loader), reshuffle=reshuffle)
    result = submission.train_student.call(
        setup.student, setup.teacher, loader, setup.val_loader, setup.optimizer, epochs=2
    )
    want, want_state = _reference_run(reference, setup, loader.iterable(), epochs=2)
    _expect_losses(_history(result.value, 6, 2, case)["losses"], want["losses"], case)
    _expect_state(result.objects[0]["state"], want_state, case, "student")


# --- Validation and the best student ------------------------------------------------------------


@pytest.mark.feedback(
    en="accuracy = correct predictions / number of validation samples, over the whole validation "
    "set (not a mean of per-batch accuracies: the last batch is smaller), as a Python float",
    zh="准确率 = 预测正确的样本数 / 验证样本总数，在整个验证集上计算（不是各 batch 准确率的平均：最后一个 batch 更小），"
    "类型为 Python float",
    hint=2,
)
def test_validation_accuracy(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The accuracy after every epoch is measured on the whole validation set

    zh: 每个 epoch 之后的准确率都在整个验证集上计算
    """
    setup = _setup(seeds[2], sgd={"lr": 0.5, "momentum": 0.9})
    case = _describe(3, 3, Case("SGD lr=0.5", "SGD lr=0.5"))
    got = _history(submission.train_student(*setup.args, epochs=3), 9, 3, case)
    want, _ = _reference_run(reference, setup, epochs=3)
    for epoch, (g, w) in enumerate(zip(got["val_accuracy"], want["val_accuracy"], strict=True)):
        expect_float(
            g,
            w,
            atol=1e-9,
            rtol=0.0,
            case=Case(f"{case.en}, epoch {epoch}", f"{case.zh}，第 {epoch} 个 epoch"),
            what="validation accuracy",
            what_zh="验证准确率",
        )


def _search(reference: Any, seed: int, epochs: int, wanted: Any, **options: Any) -> Setup:
    """The first of a few fresh set-ups whose reference history satisfies ``wanted``."""
    setup = _setup(seed, **options)
    for offset in range(40):
        setup = _setup(seed + 7919 * offset, **options)
        history, _ = _reference_run(reference, setup, epochs=epochs)
        if wanted(history):
            break
    return setup


@pytest.mark.feedback(
    en="after training, load the best epoch's weights back: keep a COPY of its state_dict() "
    "(clone every tensor, or copy.deepcopy; state_dict() itself returns the live tensors), "
    "buffers included (BatchNorm running statistics), then student.load_state_dict(best)",
    zh="训练结束后把最佳 epoch 的权重加载回来：保存它的 state_dict() 的“副本”（clone 每个张量，或 copy.deepcopy；"
    "state_dict() 本身返回的是正在使用的张量），包括 buffer（BatchNorm 的 running 统计量），"
    "最后 student.load_state_dict(best)",
    hint=3,
)
def test_best_student_is_kept(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student ends with the weights of its best epoch, not its last

    zh: 学生最终保留的是最佳 epoch 的权重，而不是最后一个 epoch 的
    """

    def best_is_not_last(history: dict[str, Any]) -> bool:
        return history["best_epoch"] < len(history["val_accuracy"]) - 1

    setup = _search(reference, seeds[3], 3, best_is_not_last, sgd={"lr": 0.5, "momentum": 0.9})
    case = _describe(3, 3, Case("the best epoch is not the last", "最佳 epoch 不是最后一个"))
    result = submission.train_student.call(*setup.args, epochs=3)
    got = _history(result.value, 9, 3, case)
    want, want_state = _reference_run(reference, setup, epochs=3)
    if got["best_epoch"] != want["best_epoch"]:
        fail(
            f"best_epoch is {got['best_epoch']} on {case.en}: it is the index (from 0) of the "
            "epoch with the highest validation accuracy",
            f"best_epoch 为 {got['best_epoch']}（{case.zh}）：它应是验证准确率最高的 epoch 的下标（从 0 开始）",
        )
    _expect_state(result.objects[0]["state"], want_state, case, "student")


@pytest.mark.feedback(
    en="only a strictly better accuracy replaces the best epoch: on a tie the earlier epoch is "
    "kept (compare with >, not >=)",
    zh="只有严格更高的准确率才替换最佳 epoch：准确率相同时保留较早的 epoch（用 > 比较，而不是 >=）",
    hint=3,
)
def test_ties_keep_the_earlier_epoch(submission: Any, reference: Any, seeds: list[int]) -> None:
    """On a tie the earlier epoch is kept

    zh: 准确率相同时保留较早的 epoch
    """

    def tie_for_best(history: dict[str, Any]) -> bool:
        accuracies = history["val_accuracy"]
        best = max(accuracies)
        return len(accuracies) - 1 - accuracies[::-1].index(best) != accuracies.index(best)

    setup = _search(reference, seeds[2], 3, tie_for_best, sgd={"lr": 0.01, "momentum": 0.0})
    case = _describe(
        3, 3, Case("two epochs tie for the best accuracy", "两个 epoch 的最佳准确率相同")
    )
    result = submission.train_student.call(*setup.args, epochs=3)
    got = _history(result.value, 9, 3, case)
    want, want_state = _reference_run(reference, setup, epochs=3)
    if got["best_epoch"] != want["best_epoch"]:
        fail(
            f"best_epoch is {got['best_epoch']} on {case.en}, expected the earlier of the tied "
            "epochs",
            f"best_epoch 为 {got['best_epoch']}（{case.zh}），应为准确率相同的 epoch 中较早的那个",
        )
    _expect_state(result.objects[0]["state"], want_state, case, "student")
