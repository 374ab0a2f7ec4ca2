"""Hidden suite for on_policy_step(student, teacher, prompts, optimizer, max_new_tokens, seed,
temperature=1.0, eos_id=1, pad_id=0) -> (sequences, loss).

Both language models cross the sandbox as ModelSpecs of kdquiz.grading.builders' ``tiny_lm`` (an
embedding, a one-layer GRU and a linear head: deterministic, causal), the optimizer as an
OptimizerSpec; the sampling seed, the prompts and the temperature are drawn from the fresh
``seeds`` of each grading. The judge runs the reference on models built from the same specs, so
the sampled tokens must agree exactly (sampling is specified to the call: one
``torch.multinomial(softmax(logits / T), 1, generator=g)`` per step for the whole batch), then the
loss and the student's update. The reply also records every forward pass (autograd on or off) and
every backward pass (stale gradients or not).
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
from kdquiz.grading.suite import Case, expect_close, expect_float, expect_tensor, fail, seeded

VOCAB = 10
EOS, PAD = 1, 0
STUDENT = {"vocab": VOCAB, "dim": 8}
TEACHER = {"vocab": VOCAB, "dim": 12}
SGD = {"lr": 0.5}
LOSS_ATOL, LOSS_RTOL = 1e-5, 1e-4
STATE_ATOL, STATE_RTOL = 1e-5, 1e-4


@dataclass(frozen=True)
class Setup:
    student: ModelSpec
    teacher: ModelSpec
    prompts: torch.Tensor
    new_tokens: int
    seed: int
    temperature: float

    def call(self, fn: Any, *, grads: bool = False, defaults: bool = False) -> Any:
        args = (self.student, self.teacher, self.prompts, OptimizerSpec("sgd", 0, SGD))
        kwargs: dict[str, Any] = {"max_new_tokens": self.new_tokens, "seed": self.seed}
        if not defaults:
            kwargs.update(temperature=self.temperature, eos_id=EOS, pad_id=PAD)
        return fn.call(*args, **kwargs) if grads else fn(*args, **kwargs)

    def describe(self, extra: Case | None = None) -> Case:
        B, P = self.prompts.shape
        text = f"B={B}, prompt length {P}, {self.new_tokens} new tokens, T={self.temperature:g}"
        if extra is None:
            return Case(text, text)
        return Case(f"{text}, {extra.en}", f"{text}，{extra.zh}")


def _setup(
    seed: int,
    *,
    eos_bias: float = 0.7,
    pad_bias: float = 0.8,
    prompt_len: int | None = None,
    new_tokens: int | None = None,
    temperature: float | None = None,
) -> Setup:
    """Models, prompts and a sampling seed. The student's output bias makes EOS and the pad id
    likely enough that sequences end early and the pad id is also sampled as a real token."""
    g = seeded(seed)
    B = int(torch.randint(3, 5, (1,), generator=g))
    P = prompt_len or int(torch.randint(3, 6, (1,), generator=g))
    N = new_tokens or int(torch.randint(4, 7, (1,), generator=g))
    T = temperature or (0.7, 1.0, 1.5, 2.0)[int(torch.randint(0, 4, (1,), generator=g))]
    prompts = torch.randint(2, VOCAB, (B, P), generator=g)
    sample_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=g))
    student = init_state("tiny_lm", STUDENT, seed + 1)
    student["head.bias"] = student["head.bias"].clone()
    student["head.bias"][EOS] += eos_bias
    student["head.bias"][PAD] += pad_bias
    teacher = init_state("tiny_lm", TEACHER, seed + 2)
    teacher["head.weight"] = 2.0 * teacher["head.weight"]
    return Setup(
        ModelSpec("tiny_lm", STUDENT, student),
        ModelSpec("tiny_lm", TEACHER, teacher),
        prompts,
        N,
        sample_seed,
        T,
    )


def _reference(reference: Any, setup: Setup) -> tuple[torch.Tensor, float, dict[str, Any]]:
    """The reference's sequences, loss and student state after the step, in the judge."""
    student, _ = build_model(setup.student)
    teacher, _ = build_model(setup.teacher)
    optimizer = build_optimizer(OptimizerSpec("sgd", 0, SGD), student)
    sequences, loss = reference.on_policy_step(
        student,
        teacher,
        setup.prompts.clone(),
        optimizer,
        setup.new_tokens,
        setup.seed,
        setup.temperature,
        EOS,
        PAD,
    )
    return sequences, loss, {k: v.detach().clone() for k, v in student.state_dict().items()}


def _unpack(value: Any, setup: Setup, case: Case) -> tuple[Any, Any]:
    if type(value) not in (tuple, list) or len(value) != 2:
        name = type(value).__name__
        fail(
            f"returned a {name} on {case.en}, expected a pair (sequences, loss)",
            f"返回了 {name}（{case.zh}），应返回二元组 (sequences, loss)",
        )
    return value[0], value[1]


def _expect_sequences(got: Any, want: torch.Tensor, setup: Setup, case: Case) -> None:
    expect_tensor(got, shape=tuple(want.shape), dtype=torch.int64, case=case)
    P = setup.prompts.shape[1]
    if not bool((got[:, :P] == setup.prompts).all()):
        fail(
            f"the returned sequences do not start with the prompts on {case.en}",
            f"返回的序列没有以提示（prompt）开头（{case.zh}）",
        )
    expect_close(got, want, case=case, what="sampled tokens", what_zh="采样得到的 token")


def _expect_state(got: dict[str, Any], want: dict[str, Any], case: Case, exact: bool) -> None:
    for key, tensor in want.items():
        if key not in got:
            fail(f"the model has no entry {key} after the call", f"调用后模型缺少 {key}")
        expect_close(
            got[key],
            tensor,
            atol=0.0 if exact else STATE_ATOL,
            rtol=0.0 if exact else STATE_RTOL,
            case=case,
            what=f"the parameter {key}",
            what_zh=f"参数 {key}",
        )


def _real_pad_and_eos(sequences: torch.Tensor, prompt_len: int) -> bool:
    """Some sequence ended early (padding follows an EOS) and the pad id was also sampled as a
    real token before any EOS."""
    generated = sequences[:, prompt_len:]
    is_eos = (generated == EOS).long()
    real = (is_eos.cumsum(1) - is_eos) == 0
    return bool((~real).any()) and bool(((generated == PAD) & real).any())


# --- What is returned ---------------------------------------------------------------------------


def test_returns_sequences_and_a_float(submission: Any, seeds: list[int]) -> None:
    """Returns (sequences of shape (B, P + N), int64; the loss as a Python float)

    zh: 返回 (形状为 (B, P + N) 的 int64 序列, Python float 类型的损失)
    """
    setup = _setup(seeds[0])
    case = setup.describe()
    sequences, loss = _unpack(setup.call(submission.on_policy_step), setup, case)
    B, P = setup.prompts.shape
    expect_tensor(sequences, shape=(B, P + setup.new_tokens), dtype=torch.int64, case=case)
    if type(loss) is not float:
        fail(
            f"the loss is a {type(loss).__name__} on {case.en}, expected a Python float "
            "(loss.item())",
            f"损失的类型是 {type(loss).__name__}（{case.zh}），应为 Python float（loss.item()）",
        )


# --- Sampling -----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="sample exactly as specified: g = torch.Generator().manual_seed(seed), then per step "
    "torch.multinomial(torch.softmax(student(seq)[:, -1] / T, dim=-1), 1, generator=g) for the "
    "whole batch (not argmax, not the global generator, the temperature included)",
    zh="严格按规定采样：g = torch.Generator().manual_seed(seed)，然后每一步对整个 batch 调用 "
    "torch.multinomial(torch.softmax(student(seq)[:, -1] / T, dim=-1), 1, generator=g)"
    "（不是 argmax，不用全局随机数生成器，别漏掉温度）",
    hint=1,
)
def test_samples_match(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's samples are the reference's, token for token

    zh: 学生采样得到的 token 与参考实现逐个一致
    """
    for seed in seeds[:2]:
        setup = _setup(seed, temperature=1.5 if seed == seeds[0] else 0.7)
        case = setup.describe()
        sequences, _ = _unpack(setup.call(submission.on_policy_step), setup, case)
        want, _, _ = _reference(reference, setup)
        _expect_sequences(sequences, want, setup, case)


@pytest.mark.feedback(
    en="once a row has produced eos_id it is finished: every later position is pad_id (still "
    "draw for every row at every step, then overwrite the finished rows, as Hugging Face's "
    "generate() does)",
    zh="某一行生成 eos_id 之后就结束了：之后的每个位置都是 pad_id（每一步仍为每一行采样，"
    "再把已结束的行覆盖掉，和 Hugging Face 的 generate() 一样）",
    hint=2,
)
def test_padding_after_eos(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Sequences that produced EOS are padded after it

    zh: 生成 EOS 的序列在其后被填充
    """
    setup = _setup(seeds[1], eos_bias=2.5)
    case = setup.describe(Case("EOS likely", "EOS 概率较高"))
    sequences, _ = _unpack(setup.call(submission.on_policy_step), setup, case)
    want, _, _ = _reference(reference, setup)
    _expect_sequences(sequences, want, setup, case)


@pytest.mark.feedback(
    en="sample under torch.no_grad(): the samples are data, not something to differentiate "
    "through; then run the student ONCE with autograd on prompt + sample (teacher forcing)",
    zh="在 torch.no_grad() 下采样：采样得到的是数据，不需要对它求导；然后在 prompt + 样本上"
    "开启自动求导运行学生“一次”（teacher forcing）",
    hint=2,
)
def test_sampling_without_autograd(submission: Any, seeds: list[int]) -> None:
    """The student samples without autograd and is scored once with it

    zh: 学生在不求导的情况下采样，然后带自动求导评分一次
    """
    setup = _setup(seeds[2])
    case = setup.describe()
    result = setup.call(submission.on_policy_step, grads=True)
    forwards = result.objects[0]["forwards"]
    with_grad = sum(1 for f in forwards if f["grad_enabled"])
    if len(forwards) < 2:
        fail(
            f"the student ran {len(forwards)} times on {case.en}: it must generate the samples "
            "and then score them",
            f"学生只运行了 {len(forwards)} 次（{case.zh}）：它要先生成样本，再对样本评分",
        )
    if with_grad != 1:
        fail(
            f"{with_grad} of the student's {len(forwards)} forward passes ran with autograd on "
            f"{case.en}, expected exactly one (the teacher-forced pass)",
            f"学生的 {len(forwards)} 次前向传播中有 {with_grad} 次开启了自动求导（{case.zh}），"
            "应当恰好一次（teacher forcing 那一次）",
        )


# --- The teacher --------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the teacher only scores: run it under torch.no_grad(); nothing may change it and no "
    "gradient may reach it",
    zh="教师只负责评分：在 torch.no_grad() 下运行它；不能改变它，也不能有梯度传到它",
    hint=2,
)
def test_teacher_is_frozen(submission: Any, seeds: list[int]) -> None:
    """The teacher runs without autograd and is unchanged

    zh: 教师在不求导的情况下运行，并且没有被改变
    """
    setup = _setup(seeds[0])
    case = setup.describe()
    result = setup.call(submission.on_policy_step, grads=True)
    report = result.objects[1]
    if not report["forwards"]:
        fail(
            f"the teacher was never run on {case.en}: it scores the samples",
            f"教师从未被调用（{case.zh}）：样本由它来评分",
        )
    bad = sum(1 for f in report["forwards"] if f["grad_enabled"])
    if bad:
        fail(
            f"{bad} of the teacher's forward passes ran with autograd on {case.en}",
            f"教师有 {bad} 次前向传播开启了自动求导（{case.zh}）",
        )
    if any(report["has_grad"].values()):
        fail(
            f"gradients reached the teacher's parameters on {case.en}",
            f"梯度传到了教师的参数（{case.zh}）",
        )
    assert setup.teacher.state is not None
    _expect_state(report["state"], setup.teacher.state, case, exact=True)


# --- The loss -----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the loss is the reverse KL(q_student ‖ p_teacher) at temperature T, summed over the "
    "vocabulary at each generated position, averaged over the real generated tokens of the "
    "batch; the logits at position i predict token i + 1",
    zh="损失是温度 T 下的反向 KL(q_student ‖ p_teacher)：在每个生成位置上对词表求和，再对整个 batch "
    "中真实生成的 token 求平均；位置 i 的 logits 预测的是第 i + 1 个 token",
    hint=3,
)
def test_loss_value(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The returned loss matches

    zh: 返回的损失一致
    """
    for seed in seeds[:2]:
        setup = _setup(seed)
        case = setup.describe()
        _, loss = _unpack(setup.call(submission.on_policy_step), setup, case)
        _, want, _ = _reference(reference, setup)
        expect_float(
            loss, want, atol=LOSS_ATOL, rtol=LOSS_RTOL, case=case, what="loss", what_zh="损失值"
        )


@pytest.mark.feedback(
    en="only the generated tokens are scored: the prompt was not produced by the student, so "
    "its positions are masked (take the logits from position P − 1 on)",
    zh="只对生成的 token 评分：prompt 不是学生生成的，它的位置要被掩掉（从位置 P − 1 开始取 logits）",
    hint=3,
)
def test_prompt_not_counted(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The prompt's positions do not count

    zh: prompt 的位置不计入损失
    """
    setup = _setup(seeds[1], prompt_len=7, new_tokens=3, eos_bias=-3.0)
    case = setup.describe(Case("long prompt", "较长的 prompt"))
    _, loss = _unpack(setup.call(submission.on_policy_step), setup, case)
    _, want, _ = _reference(reference, setup)
    expect_float(
        loss, want, atol=LOSS_ATOL, rtol=LOSS_RTOL, case=case, what="loss", what_zh="损失值"
    )


@pytest.mark.feedback(
    en="the real generated tokens are those up to and including each row's first EOS; find "
    "them from where the EOS is, not by comparing with pad_id, which is an ordinary token of "
    "this vocabulary too",
    zh="真实生成的 token 是每行直到第一个 EOS（含 EOS）为止的那些；要根据 EOS 的位置来确定，"
    "不要和 pad_id 比较，pad_id 在这个词表里也是一个普通 token",
    hint=3,
)
def test_padding_not_counted(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Padding after EOS does not count; EOS itself and real pad-id tokens do

    zh: EOS 之后的填充不计入损失；EOS 本身以及真实生成的 pad-id token 要计入
    """
    for offset in range(50):  # a case with early EOS and the pad id sampled as a real token
        setup = _setup(seeds[2] + 1000 * offset, eos_bias=1.2, pad_bias=1.5)
        want_sequences, want, _ = _reference(reference, setup)
        if _real_pad_and_eos(want_sequences, setup.prompts.shape[1]):
            break
    case = setup.describe(Case("early EOS, the pad id sampled", "提前出现 EOS，pad id 也被采样到"))
    _, loss = _unpack(setup.call(submission.on_policy_step), setup, case)
    expect_float(
        loss, want, atol=LOSS_ATOL, rtol=LOSS_RTOL, case=case, what="loss", what_zh="损失值"
    )


# --- The update ---------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="one optimizer step on the loss: zero_grad(), backward(), step(), with the optimizer you "
    "are given",
    zh="在损失上走一步优化：zero_grad()、backward()、step()，使用传进来的优化器",
    hint=3,
)
def test_student_update(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The student's parameters after the step match

    zh: 更新后学生的参数一致
    """
    setup = _setup(seeds[3])
    case = setup.describe()
    result = setup.call(submission.on_policy_step, grads=True)
    _, _, want = _reference(reference, setup)
    _expect_state(result.objects[0]["state"], want, case, exact=False)


@pytest.mark.feedback(
    en="gradients accumulate in .grad until something clears them: call optimizer.zero_grad() "
    "before loss.backward()",
    zh="梯度会一直累加在 .grad 里，直到被清零：在 loss.backward() 之前调用 optimizer.zero_grad()",
    hint=3,
)
def test_gradients_cleared(submission: Any, seeds: list[int]) -> None:
    """Old gradients are cleared before the backward pass

    zh: 反向传播之前清除了旧梯度
    """
    setup = _setup(seeds[0])
    setup = dataclasses.replace(
        setup, student=dataclasses.replace(setup.student, prefill_grads=True)
    )
    case = setup.describe(Case("gradients left by a previous step", "带着上一步遗留的梯度"))
    result = setup.call(submission.on_policy_step, grads=True)
    backwards = result.objects[0]["backwards"]
    if not backwards:
        fail(
            f"no backward pass reached the student on {case.en}", f"没有反向传播到学生（{case.zh}）"
        )
    if any(b["stale"] for b in backwards):
        fail(
            f"the backward pass added to gradients left from a previous step on {case.en}",
            f"反向传播叠加在上一步遗留的梯度上（{case.zh}）",
        )


@pytest.mark.feedback(
    en="keep the signature's defaults: temperature=1.0, eos_id=1, pad_id=0",
    zh="保持签名中的默认值：temperature=1.0，eos_id=1，pad_id=0",
    hint=1,
)
def test_default_arguments(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The defaults are temperature 1, eos_id 1 and pad_id 0

    zh: 默认值为 temperature 1、eos_id 1、pad_id 0
    """
    setup = _setup(seeds[1], temperature=1.0)
    case = setup.describe(Case("defaults left as they are", "使用默认参数"))
    sequences, loss = _unpack(setup.call(submission.on_policy_step, defaults=True), setup, case)
    want_sequences, want, _ = _reference(reference, setup)
    _expect_sequences(sequences, want_sequences, setup, case)
    expect_float(
        loss, want, atol=LOSS_ATOL, rtol=LOSS_RTOL, case=case, what="loss", what_zh="损失值"
    )
