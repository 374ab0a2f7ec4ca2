"""Hidden suite for ema_teacher: ema_update(teacher, student, momentum) -> None.

Both models cross the sandbox as ModelSpecs of the same architecture with different states (random
weights, non-trivial BatchNorm statistics, different batch counters); the reply carries the state
each model ended in, its requires_grad flags and whether any gradient was left on it. Each test
checks one part of the update, so a failure names the part that is wrong.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.builders import ModelSpec, build_model, init_state
from kdquiz.grading.protocol import Unsupported
from kdquiz.grading.suite import Case, expect_close, expect_raises, fail, seeded

MLP = {"sizes": [6, 8, 4], "batchnorm": True}
CNN = {"in_channels": 3, "width": 4, "classes": 5}
ARCH_NAMES = {
    "mlp": Case("MLP 6→8→4 with BatchNorm1d", "带 BatchNorm1d 的 MLP 6→8→4"),
    "cnn": Case("CNN (3→4 channels) with BatchNorm2d", "带 BatchNorm2d 的 CNN（3→4 通道）"),
}
MOMENTA = [0.7, 0.8, 0.9, 0.99, 0.996]  # never 0.5: it could not tell the two sides apart

ATOL, RTOL = 1e-6, 1e-5


def _state(arch: str, options: dict[str, Any], seed: int, counter: int) -> dict[str, torch.Tensor]:
    """Random weights, BatchNorm statistics far from their defaults, and a given batch counter."""
    state = init_state(arch, options, seed)
    g = seeded(seed + 7)
    for key, value in list(state.items()):
        if key.endswith("running_mean"):
            state[key] = 0.5 * torch.randn(value.shape, generator=g)
        elif key.endswith("running_var"):
            state[key] = 0.5 + torch.rand(value.shape, generator=g)
        elif key.endswith("num_batches_tracked"):
            state[key] = torch.tensor(counter)
        elif key.startswith("1."):  # BatchNorm affine weight and bias
            state[key] = value + 0.3 * torch.randn(value.shape, generator=g)
    return state


def _pair(
    seed: int,
    arch: str = "mlp",
    frozen: bool = False,
    *,
    frozen_student: bool = False,
    teacher_train: bool = False,
    student_train: bool = True,
) -> tuple[ModelSpec, ModelSpec]:
    """(teacher, student): same architecture, different states; by default the teacher in eval
    mode and the student in train mode (and, with ``frozen`` / ``frozen_student``, with
    requires_grad off on every parameter of the teacher / the student)."""
    options = MLP if arch == "mlp" else CNN
    g = seeded(seed)
    student_counter = int(torch.randint(150, 400, (1,), generator=g))
    state = _state(arch, options, seed + 1, 100)
    teacher = ModelSpec(arch, options, state, train=teacher_train, frozen=frozen)
    student = ModelSpec(
        arch,
        options,
        _state(arch, options, seed + 2, student_counter),
        train=student_train,
        frozen=frozen_student,
    )
    return teacher, student


def _momentum(seed: int) -> float:
    return MOMENTA[int(torch.randint(0, len(MOMENTA), (1,), generator=seeded(seed + 3)))]


def _describe(momentum: float, arch: str = "mlp", en: str = "", zh: str = "") -> Case:
    name = ARCH_NAMES[arch]
    text = Case(f"{name.en}, momentum={momentum:g}", f"{name.zh}，momentum={momentum:g}")
    return Case(f"{text.en}, {en}", f"{text.zh}，{zh}") if en else text


def _names(spec: ModelSpec) -> tuple[list[str], list[str], list[str]]:
    """(parameters, floating-point buffers, integer buffers) of the spec's architecture."""
    model, _ = build_model(spec)
    params = [n for n, _ in model.named_parameters()]
    floats = [n for n, b in model.named_buffers() if b.is_floating_point()]
    ints = [n for n, b in model.named_buffers() if not b.is_floating_point()]
    return params, floats, ints


def _reference_teacher(
    reference: Any, teacher: ModelSpec, student: ModelSpec, momentum: float
) -> dict[str, torch.Tensor]:
    """The teacher's state after the reference update on the same specs (run in the judge)."""
    t, _ = build_model(teacher)
    s, _ = build_model(student)
    reference.ema_update(t, s, momentum)
    return {k: v.detach().clone() for k, v in t.state_dict().items()}


def _expect_entries(
    got: dict[str, Any], want: dict[str, Any], keys: list[str], case: Case, whose: str = "teacher"
) -> None:
    whose_zh = {"student": "学生", "teacher": "教师"}[whose]
    for key in keys:
        if key not in got:
            fail(
                f"the {whose} has no entry {key} after the call on {case.en}",
                f"调用后{whose_zh}缺少 {key}（{case.zh}）",
            )
        exact = not want[key].is_floating_point()
        expect_close(
            got[key],
            want[key],
            atol=0.0 if exact else ATOL,
            rtol=0.0 if exact else RTOL,
            case=case,
            what=f"the {whose}'s {key}",
            what_zh=f"{whose_zh}的 {key}",
        )


# --- The contract -------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the update happens in place on the teacher's own tensors; return nothing",
    zh="更新是在教师自己的张量上原地完成的；函数不返回任何东西",
    hint=3,
)
def test_returns_none(submission: Any, seeds: list[int]) -> None:
    """Returns None (the teacher is updated in place)

    zh: 返回 None（教师被原地更新）
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    value = submission.ema_update(teacher, student, momentum)
    if value is not None:
        name = value.type_name if isinstance(value, Unsupported) else type(value).__name__
        fail(
            f"returned a {name} on {_describe(momentum).en}, expected None",
            f"返回了 {name}（{_describe(momentum).zh}），应返回 None",
        )


# --- The teacher's new state --------------------------------------------------------------------


@pytest.mark.feedback(
    en="teacher ← momentum · teacher + (1 − momentum) · student, on the teacher's own tensors "
    "(p_t.mul_(m).add_(p_s, alpha=1 − m) or p_t.lerp_(p_s, 1 − m)); assigning to a loop variable "
    "changes nothing",
    zh="teacher ← momentum · teacher + (1 − momentum) · student，要在教师自己的张量上原地修改"
    "（p_t.mul_(m).add_(p_s, alpha=1 − m) 或 p_t.lerp_(p_s, 1 − m)）；给循环变量重新赋值什么也改变不了",
    hint=1,
)
def test_parameters_are_averaged(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The teacher's parameters become the moving average

    zh: 教师的参数变成滑动平均
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    desc = _describe(momentum)
    result = submission.ema_update.call(teacher, student, momentum)
    want = _reference_teacher(reference, teacher, student, momentum)
    params, _, _ = _names(teacher)
    _expect_entries(result.objects[0]["state"], want, params, desc)


@pytest.mark.feedback(
    en="BatchNorm's running_mean and running_var are buffers, not parameters: they are averaged "
    "too, with the same momentum (model.parameters() does not include them; state_dict() does)",
    zh="BatchNorm 的 running_mean 和 running_var 是 buffer 而不是参数：它们也要用同样的动量做滑动平均"
    "（model.parameters() 不包含它们，state_dict() 包含）",
    hint=2,
)
def test_running_statistics_are_averaged(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The teacher's BatchNorm running statistics become the moving average

    zh: 教师的 BatchNorm 运行统计量变成滑动平均
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    desc = _describe(momentum)
    result = submission.ema_update.call(teacher, student, momentum)
    want = _reference_teacher(reference, teacher, student, momentum)
    _, floats, _ = _names(teacher)
    _expect_entries(result.objects[0]["state"], want, floats, desc)


@pytest.mark.feedback(
    en="num_batches_tracked is an integer counter, not a weight: copy the student's value instead "
    "of averaging it",
    zh="num_batches_tracked 是整数计数器，不是权重：直接复制学生的值，不要做平均",
    hint=2,
)
def test_batch_counter_is_copied(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The teacher's BatchNorm batch counter is copied from the student

    zh: 教师的 BatchNorm 批计数器从学生复制
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    desc = _describe(momentum, "mlp", "the two counters differ", "两个计数器不同")
    result = submission.ema_update.call(teacher, student, momentum)
    want = _reference_teacher(reference, teacher, student, momentum)
    _, _, ints = _names(teacher)
    _expect_entries(result.objects[0]["state"], want, ints, desc)


# --- Nothing else changes -----------------------------------------------------------------------


@pytest.mark.feedback(
    en="the student is only read: the update goes from the student into the teacher, never the "
    "other way",
    zh="学生只能被读取：更新是从学生流向教师，绝不能反过来",
    hint=1,
)
def test_student_is_unchanged(submission: Any, seeds: list[int]) -> None:
    """The student is unchanged

    zh: 学生保持不变
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    desc = _describe(momentum)
    result = submission.ema_update.call(teacher, student, momentum)
    assert student.state is not None
    _expect_entries(result.objects[1]["state"], student.state, list(student.state), desc, "student")


@pytest.mark.feedback(
    en="do the update under `with torch.no_grad():` instead of switching requires_grad off: the "
    "student must keep training, and no gradient or graph should come out of an EMA update",
    zh="把更新放在 `with torch.no_grad():` 里，而不是关闭 requires_grad：学生还要继续训练，"
    "EMA 更新也不应产生任何梯度或计算图",
    hint=2,
)
def test_no_autograd_side_effects(submission: Any, seeds: list[int]) -> None:
    """No requires_grad flag changes and no gradient appears

    zh: requires_grad 标志不变，也不会出现梯度
    """
    teacher, student = _pair(seeds[0])
    momentum = _momentum(seeds[1])
    desc = _describe(momentum)
    result = submission.ema_update.call(teacher, student, momentum)
    for index, whose, whose_zh in ((0, "teacher", "教师"), (1, "student", "学生")):
        report = result.objects[index]
        off = [name for name, flag in report["requires_grad"].items() if not flag]
        if off:
            fail(
                f"{len(off)} {whose} parameters no longer require grad after the call on {desc.en}",
                f"调用后有 {len(off)} 个{whose_zh}参数的 requires_grad 被关掉了（{desc.zh}）",
            )
        with_grad = [name for name, has in report["has_grad"].items() if has]
        if with_grad:
            fail(
                f"{len(with_grad)} {whose} parameters have a gradient after the call on {desc.en}",
                f"调用后有 {len(with_grad)} 个{whose_zh}参数带有梯度（{desc.zh}）",
            )
        _expect_leaves(report, whose, whose_zh, desc)


def _expect_leaves(report: dict[str, Any], whose: str, whose_zh: str, desc: Case) -> None:
    """Every parameter is still a leaf: no autograd graph was recorded into it."""
    joined = [name for name, leaf in report["is_leaf"].items() if not leaf]
    if joined:
        fail(
            f"{len(joined)} {whose} parameters are no longer leaves after the call on {desc.en}: "
            "the update was recorded by autograd, so they now hang off the student's graph",
            f"调用后有 {len(joined)} 个{whose_zh}参数不再是叶子张量（{desc.zh}）："
            "更新被 autograd 记录了下来，它们现在挂在学生的计算图上",
        )


@pytest.mark.feedback(
    en="with a frozen teacher (requires_grad=False, as DINO and MoCo keep it) an update outside "
    "torch.no_grad() raises no error: it silently makes every teacher weight part of the "
    "student's graph, which then grows with every step",
    zh="教师被冻结时（requires_grad=False，DINO 和 MoCo 都这样做），在 torch.no_grad() 之外更新"
    "不会报错：它会悄悄把教师的每个权重都接到学生的计算图上，计算图随之每一步都在变大",
    hint=2,
)
def test_a_frozen_teacher_stays_frozen(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A frozen teacher is updated and stays frozen, outside any graph

    zh: 冻结的教师被更新后仍然冻结，且不在任何计算图中
    """
    teacher, student = _pair(seeds[0], frozen=True)
    momentum = _momentum(seeds[1])
    desc = _describe(
        momentum, en="teacher frozen (requires_grad=False)", zh="教师被冻结（requires_grad=False）"
    )
    result = submission.ema_update.call(teacher, student, momentum)
    report = result.objects[0]
    thawed = [name for name, flag in report["requires_grad"].items() if flag]
    if thawed:
        fail(
            f"{len(thawed)} parameters of the frozen teacher require grad after the call on "
            f"{desc.en}: the update was recorded by autograd",
            f"调用后被冻结教师的 {len(thawed)} 个参数又需要梯度了（{desc.zh}）：更新被 autograd 记录了",
        )
    _expect_leaves(report, "teacher", "教师", desc)
    want = _reference_teacher(reference, teacher, student, momentum)
    _expect_entries(report["state"], want, list(want), desc)


@pytest.mark.feedback(
    en="leave every requires_grad flag as it was, whatever it was: turning them off and back on "
    "(to True) unfreezes layers the caller had frozen; torch.no_grad() needs no flag at all",
    zh="每个 requires_grad 都要保持原来的值，无论它原来是什么：先关掉再统一打开（设为 True）会把调用者冻结的层解冻；"
    "用 torch.no_grad() 根本不需要动这些标志",
    hint=2,
)
def test_a_frozen_student_stays_frozen(submission: Any, seeds: list[int]) -> None:
    """A frozen student stays frozen; the teacher keeps its requires_grad flags

    zh: 冻结的学生仍然冻结；教师的 requires_grad 标志保持不变
    """
    teacher, student = _pair(seeds[0], frozen_student=True)
    momentum = _momentum(seeds[1])
    desc = _describe(
        momentum, en="student frozen (requires_grad=False)", zh="学生被冻结（requires_grad=False）"
    )
    result = submission.ema_update.call(teacher, student, momentum)
    thawed = [n for n, flag in result.objects[1]["requires_grad"].items() if flag]
    if thawed:
        fail(
            f"{len(thawed)} parameters of the frozen student require grad after the call on {desc.en}",
            f"调用后被冻结学生的 {len(thawed)} 个参数又需要梯度了（{desc.zh}）",
        )
    off = [n for n, flag in result.objects[0]["requires_grad"].items() if not flag]
    if off:
        fail(
            f"{len(off)} teacher parameters no longer require grad after the call on {desc.en}",
            f"调用后有 {len(off)} 个教师参数的 requires_grad 被关掉了（{desc.zh}）",
        )


@pytest.mark.feedback(
    en="an EMA update only changes the teacher's tensors: it must not switch either model between "
    "train() and eval() (the student is in the middle of training)",
    zh="EMA 更新只改变教师的张量：不能把任何一个模型在 train() 和 eval() 之间切换（学生还在训练中）",
    hint=1,
)
def test_modes_are_unchanged(submission: Any, seeds: list[int]) -> None:
    """Neither model's train/eval mode changes

    zh: 两个模型的 train/eval 模式都不变
    """
    momentum = _momentum(seeds[1])
    for teacher_train, student_train in ((False, True), (True, False)):
        teacher, student = _pair(seeds[0], teacher_train=teacher_train, student_train=student_train)
        mode = {True: "train", False: "eval"}
        desc = _describe(
            momentum,
            en=f"teacher in {mode[teacher_train]} mode, student in {mode[student_train]} mode",
            zh=f"教师处于 {mode[teacher_train]} 模式，学生处于 {mode[student_train]} 模式",
        )
        result = submission.ema_update.call(teacher, student, momentum)
        for index, whose, whose_zh, before in (
            (0, "teacher", "教师", teacher_train),
            (1, "student", "学生", student_train),
        ):
            now = bool(result.objects[index]["training"])
            if now != before:
                fail(
                    f"the {whose} is in {mode[now]} mode after the call on {desc.en}",
                    f"调用后{whose_zh}处于 {mode[now]} 模式（{desc.zh}）",
                )


# --- Edge cases ---------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="momentum=1 is allowed (DINO's schedule ends there): every weight and running statistic "
    "of the teacher stays as it is; only the integer counter is copied, as always",
    zh="momentum=1 是合法的（DINO 的动量调度最终就到 1）：教师的权重和滑动统计量都保持不变；"
    "只有整数计数器照常被复制",
    hint=3,
)
def test_momentum_one_keeps_the_teacher(submission: Any, reference: Any, seeds: list[int]) -> None:
    """momentum=1 keeps the teacher's weights and statistics

    zh: momentum=1 时保留教师的权重和统计量
    """
    teacher, student = _pair(seeds[0])
    desc = _describe(1.0)
    result = submission.ema_update.call(teacher, student, 1.0)
    want = _reference_teacher(reference, teacher, student, 1.0)
    _expect_entries(result.objects[0]["state"], want, list(want), desc)


@pytest.mark.feedback(
    en="momentum=0 is allowed: the teacher becomes an exact copy of the student",
    zh="momentum=0 是合法的：教师变成学生的精确副本",
    hint=3,
)
def test_momentum_zero_copies_the_student(submission: Any, seeds: list[int]) -> None:
    """momentum=0 makes the teacher a copy of the student

    zh: momentum=0 时教师变成学生的副本
    """
    teacher, student = _pair(seeds[0])
    desc = _describe(0.0)
    result = submission.ema_update.call(teacher, student, 0.0)
    assert student.state is not None
    _expect_entries(result.objects[0]["state"], student.state, list(student.state), desc)


@pytest.mark.feedback(
    en="check the range first: raise ValueError unless 0 <= momentum <= 1 (99 is not 0.99, and "
    "a NaN lies in no interval, although it is neither below 0 nor above 1)",
    zh="先检查取值范围：除非 0 <= momentum <= 1，否则抛出 ValueError（99 不是 0.99；NaN 不在任何区间内，"
    "尽管它既不小于 0 也不大于 1）",
    hint=3,
)
def test_momentum_out_of_range_raises(submission: Any, seeds: list[int]) -> None:
    """A momentum outside [0, 1] (or NaN) raises ValueError

    zh: momentum 不在 [0, 1] 内（或为 NaN）时抛出 ValueError
    """
    teacher, student = _pair(seeds[0])
    for momentum in (-0.1, 1.5, 99.0, float("nan")):
        expect_raises(
            submission.ema_update,
            "ValueError",
            teacher,
            student,
            momentum,
            case=_describe(momentum),
        )


@pytest.mark.feedback(
    en="validate the momentum before touching either model: when the call raises, nothing may "
    "have changed, not even the batch counters",
    zh="在改动任何一个模型之前先检查动量：调用抛出异常时，什么都不能被改动，连批计数器也不行",
    hint=3,
)
def test_nothing_changes_before_raising(submission: Any, seeds: list[int]) -> None:
    """An out-of-range momentum leaves both models unchanged

    zh: momentum 越界时两个模型都保持不变
    """
    teacher, student = _pair(seeds[0])
    assert teacher.state is not None and student.state is not None
    for momentum in (1.5, -0.1, float("nan"), 99.0):
        desc = _describe(momentum)
        raised = expect_raises(
            submission.ema_update, "ValueError", teacher, student, momentum, case=desc
        )
        objects = raised.objects if raised is not None else {}
        for index, spec, whose in ((0, teacher, "teacher"), (1, student, "student")):
            if index in objects:
                state = objects[index]["state"]
                _expect_entries(state, spec.state, list(spec.state), desc, whose)


@pytest.mark.feedback(
    en="go through every entry of the state_dict (parameters and buffers) by name, for any "
    "architecture, rather than hard-coding layers",
    zh="按名字遍历 state_dict 的每一项（参数和 buffer），适用于任何结构，不要把层写死",
    hint=4,
)
def test_other_architecture(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The whole state of another architecture is updated

    zh: 另一种网络结构的整个状态也被更新
    """
    teacher, student = _pair(seeds[0], arch="cnn")
    momentum = _momentum(seeds[1])
    desc = _describe(momentum, "cnn")
    result = submission.ema_update.call(teacher, student, momentum)
    want = _reference_teacher(reference, teacher, student, momentum)
    _expect_entries(result.objects[0]["state"], want, list(want), desc)
    assert student.state is not None
    _expect_entries(result.objects[1]["state"], student.state, list(student.state), desc, "student")


# --- Other kinds of state -----------------------------------------------------------------------

TAGGED = {"sizes": [6, 8, 4], "batchnorm": True, "tagged": True}
TIED = {"vocab": 11, "dim": 6}


def _random_state(arch: str, options: dict[str, Any], seed: int, dtype: str | None = None) -> Any:
    """Fresh weights, with every floating-point entry moved away from its initial value."""
    state = init_state(arch, options, seed, dtype=dtype)
    g = seeded(seed + 11)
    for key, value in list(state.items()):
        if value.is_floating_point():
            noise = 0.3 * torch.randn(value.shape, generator=g, dtype=torch.float64)
            state[key] = value + noise.to(value.dtype)
    return state


def _expect_same_entries(got: dict[str, Any], want: dict[str, Any], case: Case) -> None:
    for key, value in want.items():
        if key not in got:
            fail(
                f"the teacher has no entry {key} after the call on {case.en}",
                f"调用后教师缺少 {key}（{case.zh}）",
            )
        if value.is_floating_point():
            _expect_entries(got, want, [key], case)
        elif not (got[key].dtype == value.dtype and torch.equal(got[key], value)):
            fail(
                f"the teacher's {key} ({value.dtype}) is wrong after the call on {case.en}",
                f"调用后教师的 {key}（{value.dtype}）不对（{case.zh}）",
            )


@pytest.mark.feedback(
    en="decide by dtype, not by name: every entry that is not floating point (integer position "
    "ids, boolean masks, step counters) is copied from the student, every floating-point entry "
    "is averaged, whatever its dtype (float64 and bfloat16 too)",
    zh="按数据类型判断，而不是按名字：凡不是浮点的项（整数的位置编号、布尔掩码、步数计数器）都从学生复制，"
    "凡是浮点的项都做滑动平均，不论是哪种浮点类型（float64、bfloat16 也一样）",
    hint=2,
)
def test_every_kind_of_entry(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Integer and boolean buffers are copied, float64 models are averaged

    zh: 整数和布尔缓冲区被复制，float64 模型被平均
    """
    momentum = _momentum(seeds[1])
    # A model with an integer and a boolean buffer besides BatchNorm's counter.
    t_state = _random_state("mlp", TAGGED, seeds[0] + 1)
    s_state = _random_state("mlp", TAGGED, seeds[0] + 2)
    s_state["0.positions"] = s_state["0.positions"] + 3
    s_state["0.mask"] = torch.tensor([True, False, True, False])
    s_state["2.num_batches_tracked"] = torch.tensor(250)
    teacher = ModelSpec("mlp", TAGGED, t_state, train=False)
    student = ModelSpec("mlp", TAGGED, s_state, train=True)
    desc = _describe(
        momentum, en="with an integer and a boolean buffer", zh="含一个整数缓冲区和一个布尔缓冲区"
    )
    result = submission.ema_update.call(teacher, student, momentum)
    _expect_same_entries(
        result.objects[0]["state"], _reference_teacher(reference, teacher, student, momentum), desc
    )
    # The same architecture in float64, then in bfloat16 (compared at bfloat16's precision:
    # different ways of averaging may round differently in its 8-bit mantissa).
    for dtype, tolerance in (("float64", None), ("bfloat16", 2e-2)):
        teacher = ModelSpec("mlp", MLP, _random_state("mlp", MLP, seeds[2], dtype), dtype=dtype)
        student = ModelSpec("mlp", MLP, _random_state("mlp", MLP, seeds[3], dtype), dtype=dtype)
        desc = _describe(momentum, en=f"{dtype} models", zh=f"{dtype} 模型")
        result = submission.ema_update.call(teacher, student, momentum)
        want = _reference_teacher(reference, teacher, student, momentum)
        got = result.objects[0]["state"]
        if tolerance is None:
            _expect_same_entries(got, want, desc)
            continue
        for key, value in want.items():
            if value.is_floating_point() and key in got:
                expect_close(
                    got[key].float(),
                    value.float(),
                    atol=tolerance,
                    rtol=tolerance,
                    case=desc,
                    what=f"the teacher's {key}",
                    what_zh=f"教师的 {key}",
                )
        _expect_same_entries(
            got, {k: v for k, v in want.items() if not v.is_floating_point()}, desc
        )


@pytest.mark.feedback(
    en="with tied weights (an embedding that is also the output layer) one tensor appears under "
    "two names in state_dict(): update it once, or the teacher moves with momentum² instead of "
    "momentum",
    zh="权重共享时（嵌入层同时也是输出层），同一个张量在 state_dict() 中以两个名字出现："
    "只能更新一次，否则教师按 momentum² 而不是 momentum 移动",
    hint=4,
)
def test_tied_weights_are_updated_once(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A weight shared by two layers is averaged once

    zh: 两层共享的权重只平均一次
    """
    momentum = _momentum(seeds[1])
    teacher = ModelSpec("tied", TIED, _random_state("tied", TIED, seeds[0]), train=False)
    student = ModelSpec("tied", TIED, _random_state("tied", TIED, seeds[0] + 1), train=True)
    desc = Case(
        f"a model whose embedding is tied to its output layer, momentum={momentum:g}",
        f"嵌入层与输出层共享权重的模型，momentum={momentum:g}",
    )
    result = submission.ema_update.call(teacher, student, momentum)
    want = _reference_teacher(reference, teacher, student, momentum)
    _expect_same_entries(result.objects[0]["state"], want, desc)


@pytest.mark.feedback(
    en="leave every requires_grad flag as it was, also on a student whose first layer is frozen: "
    "use torch.no_grad() instead of switching flags off and on again",
    zh="所有 requires_grad 标志都保持原样，包括第一层被冻结的学生：用 torch.no_grad()，"
    "不要先关掉再重新打开这些标志",
    hint=2,
)
def test_a_partly_frozen_student_keeps_its_flags(submission: Any, seeds: list[int]) -> None:
    """A student with a frozen first layer keeps exactly its flags

    zh: 第一层被冻结的学生，requires_grad 标志完全不变
    """
    teacher, student = _pair(seeds[0])
    student = ModelSpec(student.arch, student.options, student.state, train=True, frozen=("0.",))
    momentum = _momentum(seeds[1])
    desc = _describe(momentum, en="student's first layer frozen", zh="学生的第一层被冻结")
    result = submission.ema_update.call(teacher, student, momentum)
    flags = result.objects[1]["requires_grad"]
    wrong = [n for n, flag in flags.items() if flag == n.startswith("0.")]
    if wrong:
        fail(
            f"{len(wrong)} of the student's requires_grad flags changed in the call on {desc.en}",
            f"调用后学生有 {len(wrong)} 个 requires_grad 标志被改变了（{desc.zh}）",
        )
