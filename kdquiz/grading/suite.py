"""What hidden suites import: checks that explain failures without revealing the answer.

A failed check raises :class:`Feedback`, whose message (in English and Chinese) names what is
wrong (type, shape, dtype, non-finite values, or the size of the error on a described case) but
never the expected tensor or the test's code. The grader shows only Feedback messages to
learners; any other failure of a hidden test is reported as "a hidden check failed".

Markers a test can carry::

    @pytest.mark.feedback(en="is the soft term scaled by T²?", zh="软项乘以 T² 了吗？", hint=2)
    @pytest.mark.weight(2)  # the test is worth 2 points (default 1) in every export

The message is then "value differs on B=8, T=4 (max abs error 0.21) — is the soft term scaled
by T²? (see hint 2)".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kdquiz.grading.outcomes import Feedback, SubmissionRaised
from kdquiz.grading.protocol import Unsupported
from kdquiz.grading.proxy import CallResult, RemoteFunction

__all__ = [
    "Case",
    "CaseText",
    "Feedback",
    "expect_close",
    "expect_float",
    "expect_raises",
    "expect_gradient",
    "expect_no_gradient",
    "expect_tensor",
    "expect_value_and_gradient",
    "fail",
    "per_class_picture",
    "reference_call",
    "seeded",
]


def _type_name(value: Any) -> str:
    if isinstance(value, Unsupported):
        return value.type_name
    return type(value).__name__


@dataclass(frozen=True)
class Case:
    """A case description in both languages, for the ``case=`` of every check::

        expect_close(got, want, case=Case("logits of magnitude 100, T=4", "logits 量级为 100，T=4"))

    A plain string is for descriptions that read the same in both languages ("B=8, C=10, T=4").
    """

    en: str
    zh: str


CaseText = str | Case
"""What ``case=`` takes: a :class:`Case`, or a string that reads the same in both languages."""


def _on(case: CaseText) -> tuple[str, str]:
    if isinstance(case, Case):
        return f" on {case.en}", f"（{case.zh}）"
    return (f" on {case}", f"（{case}）") if case else ("", "")


def expect_tensor(
    got: Any, *, shape: tuple[int, ...] | Any, dtype: Any, case: CaseText = ""
) -> None:
    """``got`` is exactly a torch.Tensor of this shape and dtype, with only finite values."""
    import torch

    on_en, on_zh = _on(case)
    if type(got) is not torch.Tensor:
        name = _type_name(got)
        raise Feedback(
            f"returned a {name}{on_en}, expected a torch.Tensor",
            f"返回了 {name}{on_zh}，应返回 torch.Tensor",
            kind="type",
        )
    want_shape = tuple(shape)
    if tuple(got.shape) != want_shape:
        raise Feedback(
            f"shape {tuple(got.shape)}{on_en}, expected {want_shape}",
            f"形状为 {tuple(got.shape)}{on_zh}，应为 {want_shape}",
            kind="shape",
        )
    if got.dtype != dtype:
        raise Feedback(
            f"dtype {got.dtype}{on_en}, expected {dtype}",
            f"数据类型为 {got.dtype}{on_zh}，应为 {dtype}",
            kind="dtype",
        )
    if got.is_floating_point() and not bool(torch.isfinite(got).all()):
        raise Feedback(
            f"result contains inf or NaN{on_en}",
            f"结果中含有 inf 或 NaN{on_zh}",
            kind="finite",
        )


def expect_close(
    got: Any,
    want: Any,
    *,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    case: CaseText = "",
    what: str = "value",
    what_zh: str = "数值",
    picture: Callable[[Any, Any], dict[str, Any]] | None = None,
) -> None:
    """``got`` matches ``want`` (type, shape, dtype first), within ``atol + rtol * |want|``.

    ``picture`` (see :func:`per_class_picture`) draws the failing case for the learner: pass it
    only where the reference's numbers for that case do not give the answer away."""
    import torch

    expect_tensor(got, shape=want.shape, dtype=want.dtype, case=case)
    if want.dtype == torch.bool or not want.is_floating_point():
        mismatched = int((got != want).sum())
        if mismatched:
            on_en, on_zh = _on(case)
            raise Feedback(
                f"{what} differs in {mismatched} of {want.numel()} entries{on_en}",
                f"{what_zh}有 {mismatched}/{want.numel()} 个元素不同{on_zh}",
            )
        return
    diff = (got.double() - want.double()).abs()
    bound = atol + rtol * want.double().abs()
    if bool((diff > bound).any()):
        worst = float(diff.max())
        on_en, on_zh = _on(case)
        raise Feedback(
            f"{what} differs{on_en} (max abs error {worst:.3g})",
            f"{what_zh}不一致{on_zh}（最大绝对误差 {worst:.3g}）",
            picture=picture(got, want) if picture is not None else None,
        )


def per_class_picture(
    *context: tuple[CaseText, Any], what: CaseText = Case("value", "数值")
) -> Callable[[Any, Any], dict[str, Any]]:
    """A picture of a failing (B, C) or (C,) check: for the sample with the largest error, each
    class's number in the ``context`` tensors (e.g. the teacher's softened probabilities, same
    shape), the reference's and the learner's, side by side."""

    def draw(got: Any, want: Any) -> dict[str, Any]:
        from kdquiz.grading import picture

        rows = (got.double() - want.double()).abs()
        index = (
            int(rows.reshape(rows.shape[0], -1).amax(dim=1).argmax()) if rows.dim() > 1 else None
        )

        def row(tensor: Any) -> list[float]:
            chosen = tensor[index] if index is not None else tensor
            return [float(v) for v in chosen.detach().double().flatten()]

        name = what if isinstance(what, Case) else Case(what, what)
        where_en = f" of sample {index} (the largest error)" if index is not None else ""
        where_zh = f"（第 {index} 个样本，误差最大）" if index is not None else ""
        series = [((c.en, c.zh) if isinstance(c, Case) else (c, c), row(v)) for c, v in context]
        series += [(("reference", "参考实现"), row(want)), (("yours", "你的"), row(got))]
        labels = [str(i) for i in range(len(series[-1][1]))]
        return picture.make(
            (f"{name.en} per class{where_en}", f"每个类别的{name.zh}{where_zh}"), labels, series
        )

    return draw


def expect_float(
    got: Any,
    want: float,
    *,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    case: CaseText = "",
    what: str = "value",
    what_zh: str = "数值",
) -> None:
    """``got`` is a Python float (or a 0-dim floating-point tensor) close to ``want``.

    A tensor of another shape (``(1, 1, 1)``) or dtype (int8) is a type failure, as in every
    other check: its value is not read."""
    import torch

    on_en, on_zh = _on(case)
    if type(got) is torch.Tensor:
        if got.dim() != 0:
            raise Feedback(
                f"shape {tuple(got.shape)}{on_en}, expected a float or a 0-dim tensor",
                f"形状为 {tuple(got.shape)}{on_zh}，应为 float 或 0 维张量",
                kind="shape",
            )
        if not got.is_floating_point():
            raise Feedback(
                f"dtype {got.dtype}{on_en}, expected a floating-point value",
                f"数据类型为 {got.dtype}{on_zh}，应为浮点数",
                kind="dtype",
            )
        got = float(got)
    if type(got) not in (float, int):
        name = _type_name(got)
        raise Feedback(
            f"returned a {name}{on_en}, expected a float",
            f"返回了 {name}{on_zh}，应返回 float",
            kind="type",
        )
    if not math.isfinite(got):
        raise Feedback(f"{what} is not finite{on_en}", f"{what_zh}不是有限值{on_zh}", kind="finite")
    if abs(got - want) > atol + rtol * abs(want):
        raise Feedback(
            f"{what} differs{on_en} (abs error {abs(got - want):.3g})",
            f"{what_zh}不一致{on_zh}（绝对误差 {abs(got - want):.3g}）",
        )


def expect_raises(
    func: RemoteFunction | Callable[..., Any],
    exception: str,
    *args: Any,
    case: CaseText = "",
    **kwargs: Any,
) -> SubmissionRaised | None:
    """Calling ``func`` raises the builtin exception named ``exception`` (e.g. 'ValueError').
    Returns what the submission raised (its ``objects`` show the models as they were left)."""
    on_en, on_zh = _on(case)
    try:
        func(*args, **kwargs)
    except SubmissionRaised as exc:
        if exc.is_a(exception):
            return exc
        raise Feedback(
            f"raised {exc.type_name}{on_en}, expected {exception}",
            f"抛出了 {exc.type_name}{on_zh}，应抛出 {exception}",
            kind="raises",
        ) from None
    raise Feedback(
        f"did not raise {exception}{on_en}",
        f"没有抛出 {exception}{on_zh}",
        kind="raises",
    )


def _name(name: CaseText) -> tuple[str, str]:
    return (name.en, name.zh) if isinstance(name, Case) else (name, name)


def reference_call(
    func: Callable[..., Any], *args: Any, grad_of: tuple[int, ...] | list[int] = (), **kwargs: Any
) -> tuple[Any, dict[int, Any]]:
    """Call the reference (in the judge) the way ``submission.f.call(..., grad_of=...)`` calls the
    submission: the positional arguments at ``grad_of`` become fresh leaf tensors that require
    grad, a scalar result is back-propagated, and the value and ``{index: gradient}`` return."""
    import torch

    args_list = list(args)
    for index in grad_of:
        args_list[index] = args_list[index].detach().clone().requires_grad_(True)
    value = func(*args_list, **kwargs)
    if grad_of and isinstance(value, torch.Tensor) and value.requires_grad and value.numel() == 1:
        value.backward()
    grads = {index: args_list[index].grad for index in grad_of}
    value = value.detach() if isinstance(value, torch.Tensor) else value
    return value, grads


def expect_gradient(
    result: CallResult,
    index: int,
    want: Any,
    *,
    of: CaseText,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    case: CaseText = "",
) -> None:
    """A gradient reached the submission's argument ``index`` (named ``of``, e.g.
    ``Case("the student logits", "学生 logits")``) and matches ``want``. "No gradient reached the
    student logits" says the loss was not built from them with differentiable operations."""
    grad = result.grads.get(index)
    name_en, name_zh = _name(of)
    if grad is None:
        on_en, on_zh = _on(case)
        raise Feedback(
            f"no gradient reached {name_en}{on_en}: is the result computed from it with "
            "differentiable torch operations (no .detach(), .item() or torch.no_grad())?",
            f"梯度没有传到{name_zh}{on_zh}：结果是否由它经可微的 torch 运算得到"
            "（没有 .detach()、.item() 或 torch.no_grad()）？",
            kind="custom",
        )
    expect_close(
        grad,
        want,
        atol=atol,
        rtol=rtol,
        case=case,
        what=f"the gradient w.r.t. {name_en}",
        what_zh=f"对{name_zh}的梯度",
    )


def expect_no_gradient(
    result: CallResult, index: int, *, of: CaseText, case: CaseText = ""
) -> None:
    """No (non-zero) gradient reached the submission's argument ``index``: a frozen teacher, a
    target that must be detached."""
    grad = result.grads.get(index)
    name_en, name_zh = _name(of)
    if grad is not None and bool((grad != 0).any()):
        on_en, on_zh = _on(case)
        raise Feedback(
            f"a gradient flowed into {name_en}{on_en}", f"梯度传到了{name_zh}{on_zh}", kind="custom"
        )


def expect_value_and_gradient(
    func: RemoteFunction,
    reference_func: Callable[..., Any],
    *args: Any,
    wrt: dict[int, CaseText],
    case: CaseText = "",
    atol: float = 1e-5,
    rtol: float = 1e-4,
    grad_atol: float | None = None,
    grad_rtol: float | None = None,
    **kwargs: Any,
) -> CallResult:
    """The whole check most suites write by hand: call the submission with gradients of the
    arguments ``wrt`` (index -> name), compare its value with the reference's, then each
    gradient (``expect_gradient``). Returns the submission's :class:`CallResult`."""
    indices = list(wrt)
    result = func.call(*args, grad_of=indices, **kwargs)
    want, want_grads = reference_call(reference_func, *args, grad_of=indices, **kwargs)
    expect_close(result.value, want, atol=atol, rtol=rtol, case=case)
    for index, name in wrt.items():
        expect_gradient(
            result,
            index,
            want_grads[index],
            of=name,
            atol=atol if grad_atol is None else grad_atol,
            rtol=rtol if grad_rtol is None else grad_rtol,
            case=case,
        )
    return result


def fail(en: str, zh: str) -> None:
    """Fail the current test with a learner-facing message."""
    raise Feedback(en, zh, kind="custom")


def seeded(seed: int) -> Any:
    """A torch.Generator seeded with ``seed``, for drawing a test's inputs."""
    import torch

    return torch.Generator().manual_seed(seed)
