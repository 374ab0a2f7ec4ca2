"""Hidden suite for deepinversion_bn: bn_statistics_loss(model, x) -> Tensor.

The model crosses the sandbox as a ModelSpec (kdquiz.grading.builders' ``bn_net``: conv layers
with BatchNorm2d, then a Linear with BatchNorm1d) whose running statistics are drawn far from
their defaults, as a trained network's are; the inputs x are "synthesised images" drawn from the
fresh ``seeds`` of each grading. The reply says how every forward pass ran, the model's state
afterwards and how many hooks were left on it, so the behaviour rules (eval mode, running
statistics untouched, hooks removed even when the forward raises) are checked as well as the
value and its gradient with respect to x.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.builders import ModelSpec, build_model, init_state
from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_raises,
    expect_tensor,
    fail,
    seeded,
)

ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4
NET = {"in_channels": 3, "widths": [4, 6], "hidden": 8, "classes": 5}
FC_ONLY = {"in_channels": 3, "widths": [], "hidden": 7, "classes": 5}  # BatchNorm1d only


def _trained_state(options: dict[str, Any], seed: int) -> dict[str, torch.Tensor]:
    """Random weights, with running statistics and affine parameters away from their defaults."""
    state = init_state("bn_net", options, seed)
    g = seeded(seed + 7)
    for key, value in list(state.items()):
        if key.endswith("running_mean"):
            state[key] = 0.5 * torch.randn(value.shape, generator=g)
        elif key.endswith("running_var"):
            state[key] = 0.3 + 1.5 * torch.rand(value.shape, generator=g)
        elif key.endswith("num_batches_tracked"):
            state[key] = torch.tensor(500)
    return state


def _draw(
    seed: int, *, train: bool = False, options: dict[str, Any] | None = None
) -> tuple[ModelSpec, torch.Tensor]:
    """A model (in eval mode unless ``train``) and a batch of images for a seed."""
    options = options or NET
    g = seeded(seed)
    batch = int(torch.randint(3, 7, (1,), generator=g))
    side = (5, 6, 8)[int(torch.randint(0, 3, (1,), generator=g))]
    x = 1.5 * torch.randn(batch, options["in_channels"], side, side, generator=g) + 0.2
    spec = ModelSpec("bn_net", options, _trained_state(options, seed + 1), train=train)
    return spec, x


def _describe(spec: ModelSpec, x: torch.Tensor, extra: Case | None = None) -> Case:
    layers = len(spec.options["widths"]) + 1
    shape = "×".join(str(d) for d in x.shape)
    en = f"x of shape {shape}, {layers} BatchNorm layers"
    zh = f"x 形状为 {shape}，{layers} 个 BatchNorm 层"
    if spec.train:
        en, zh = f"{en}, model handed over in train mode", f"{zh}，模型传入时处于训练模式"
    if extra is not None:
        en, zh = f"{en}, {extra.en}", f"{zh}，{extra.zh}"
    return Case(en, zh)


def _reference(reference: Any, spec: ModelSpec, x: torch.Tensor) -> tuple[torch.Tensor, Any]:
    """The reference's loss and its gradient with respect to x, on a model built from the spec."""
    model, _ = build_model(spec)
    x = x.clone().requires_grad_(True)
    loss = reference.bn_statistics_loss(model, x)
    loss.backward()
    return loss.detach(), x.grad


def _check_value(submission: Any, reference: Any, spec: ModelSpec, x: torch.Tensor) -> None:
    got = submission.bn_statistics_loss(spec, x)
    want, _ = _reference(reference, spec, x)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_describe(spec, x))


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    spec, x = _draw(seeds[0])
    got = submission.bn_statistics_loss(spec, x)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_describe(spec, x))


@pytest.mark.feedback(
    en="per layer: ‖mean − running_mean‖₂ + ‖var − running_var‖₂, with the biased variance "
    "(unbiased=False) of the layer's INPUT over every dim but the channels, summed over layers",
    zh="每一层：‖mean − running_mean‖₂ + ‖var − running_var‖₂，方差是该层输入在除通道外所有维度上的"
    "有偏方差（unbiased=False），再对各层求和",
    hint=2,
)
def test_value_matches(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The loss matches on random images and trained-looking models

    zh: 在随机图像和类似训练过的模型上损失值一致
    """
    for seed in seeds[:3]:
        spec, x = _draw(seed)
        _check_value(submission, reference, spec, x)


@pytest.mark.feedback(
    en="hook every BatchNorm layer, BatchNorm1d included (isinstance(m, nn.modules.batchnorm."
    "_BatchNorm), or list the 1d, 2d and 3d classes): for a (B, C) input the statistics are over "
    "dim 0",
    zh="每个 BatchNorm 层都要挂钩子，包括 BatchNorm1d（isinstance(m, nn.modules.batchnorm._BatchNorm)，"
    "或者列出 1d、2d、3d 三个类）：对 (B, C) 的输入，统计量在第 0 维上计算",
    hint=1,
)
def test_batchnorm1d_counts(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A model whose only BatchNorm is a BatchNorm1d

    zh: 模型中唯一的 BatchNorm 是 BatchNorm1d
    """
    spec, x = _draw(seeds[0], options=FC_ONLY)
    _check_value(submission, reference, spec, x)


@pytest.mark.feedback(
    en="the gradient must reach x through the batch statistics: no torch.no_grad() around the "
    "forward and no .detach() of the layer inputs (the running statistics are constants)",
    zh="梯度要经由 batch 统计量传到 x：前向传播外面不要包 torch.no_grad()，也不要对层的输入 .detach()"
    "（running 统计量是常数）",
    hint=3,
)
def test_gradient_reaches_the_input(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradient with respect to the synthesised input matches

    zh: 对合成输入的梯度一致
    """
    for seed in seeds[:2]:
        spec, x = _draw(seed)
        case = _describe(spec, x)
        result = submission.bn_statistics_loss.call(spec, x, grad_of=[1])
        grad = result.grads.get(1)
        if grad is None:
            fail(
                f"no gradient reached x on {case.en}: the loss is not differentiable in the input",
                f"梯度没有传到 x（{case.zh}）：损失对输入不可微",
            )
        _, want = _reference(reference, spec, x)
        expect_close(
            grad, want, atol=GRAD_ATOL, rtol=GRAD_RTOL, case=case, what="gradient", what_zh="梯度"
        )


# --- The model is left as it was -----------------------------------------------------------------


@pytest.mark.feedback(
    en="call model.eval() (not model.training = False, which sets the flag on the top module "
    "only): the running statistics are the target, and in train mode BatchNorm normalises with "
    "the batch's own statistics instead",
    zh="调用 model.eval()（不要写 model.training = False，它只改最外层模块的标志）：running 统计量是目标，"
    "而训练模式下 BatchNorm 会改用当前 batch 自己的统计量做归一化",
    hint=2,
)
def test_runs_and_stays_in_eval_mode(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The forward runs in eval mode and the model is left in eval mode

    zh: 前向传播在 eval 模式下运行，调用后模型仍处于 eval 模式
    """
    spec, x = _draw(seeds[1], train=True)
    case = _describe(spec, x)
    result = submission.bn_statistics_loss.call(spec, x)
    report = result.objects[0]
    forwards = report["forwards"]
    if not forwards:
        fail(f"the model was never run on {case.en}", f"模型从未被调用（{case.zh}）")
    bad = sum(1 for f in forwards if not f["eval"])
    if bad:
        fail(
            f"{bad} of {len(forwards)} forward passes had a layer in train mode on {case.en}",
            f"{len(forwards)} 次前向传播中有 {bad} 次存在处于训练模式的层（{case.zh}）",
        )
    if report["training"]:
        fail(
            f"the model is left in train mode on {case.en}",
            f"调用结束后模型仍处于训练模式（{case.zh}）",
        )
    want, _ = _reference(reference, spec, x)
    expect_close(result.value, want, atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="the running statistics are what the synthesised images must match: nothing may change "
    "them (in eval mode BatchNorm only reads them)",
    zh="running 统计量是合成图像要去匹配的目标：任何操作都不能改变它们（eval 模式下 BatchNorm 只读取它们）",
    hint=2,
)
def test_running_statistics_untouched(submission: Any, seeds: list[int]) -> None:
    """The model's weights and running statistics are unchanged

    zh: 模型的权重和 running 统计量没有改变
    """
    spec, x = _draw(seeds[2], train=True)
    case = _describe(spec, x)
    result = submission.bn_statistics_loss.call(spec, x)
    got = result.objects[0]["state"]
    assert spec.state is not None
    for key, want in spec.state.items():
        if key not in got:
            fail(f"the model has no entry {key} after the call", f"调用后模型缺少 {key}")
        expect_close(
            got[key],
            want,
            atol=0.0,
            rtol=0.0,
            case=case,
            what=f"the model's {key}",
            what_zh=f"模型的 {key}",
        )


@pytest.mark.feedback(
    en="keep the handles register_forward_hook returns and call .remove() on every one once the "
    "forward is done: a hook left behind keeps running on every later forward of the model",
    zh="保存 register_forward_hook 返回的句柄，前向传播结束后对每一个调用 .remove()："
    "留下的钩子会在模型之后的每次前向传播中继续运行",
    hint=3,
)
def test_hooks_removed(submission: Any, seeds: list[int]) -> None:
    """Every hook is removed after the call

    zh: 调用结束后所有钩子都已移除
    """
    spec, x = _draw(seeds[0])
    case = _describe(spec, x)
    result = submission.bn_statistics_loss.call(spec, x)
    left = result.objects[0]["hooks"]
    if left:
        fail(
            f"{left} hooks are still registered on the model after the call on {case.en}",
            f"调用结束后模型上仍有 {left} 个钩子（{case.zh}）",
        )


@pytest.mark.feedback(
    en="remove the hooks in a `finally:` block (or an ExitStack): a forward that raises, here on "
    "an input with the wrong number of channels, must not leave hooks on the model; let the "
    "exception itself propagate",
    zh="在 `finally:` 块（或 ExitStack）里移除钩子：前向传播抛出异常时（这里是通道数不对的输入），"
    "也不能把钩子留在模型上；异常本身照常抛出",
    hint=3,
)
def test_hooks_removed_when_the_forward_raises(submission: Any, seeds: list[int]) -> None:
    """Every hook is removed even when the forward raises

    zh: 前向传播抛出异常时所有钩子也都已移除
    """
    spec, x = _draw(seeds[1])
    bad = torch.cat([x, x[:, :1]], dim=1)  # one channel too many: the first conv raises
    case = _describe(spec, bad, Case("one input channel too many", "输入多了一个通道"))
    raised = expect_raises(submission.bn_statistics_loss, "RuntimeError", spec, bad, case=case)
    assert raised is not None
    report = raised.objects.get(0)
    left = report["hooks"] if report else 0
    if left:
        fail(
            f"{left} hooks are still registered on the model after the forward raised on {case.en}",
            f"前向传播抛出异常后模型上仍有 {left} 个钩子（{case.zh}）",
        )
