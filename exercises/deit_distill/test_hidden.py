"""Hidden suite for deit_distill: DeiT's DistillationLoss (Touvron et al., ICML 2021).

The reference follows facebookresearch/deit losses.py in every convention: base cross-entropy on
the class token, base * (1 − alpha) + distillation * alpha, 'soft' = KL(teacher ‖ student) at tau
with reduction 'sum' × tau² / (B·C), 'hard' = cross-entropy of the distillation token against the
teacher's argmax (no temperature), 'none' = the base loss alone. The class-token and
distillation-token logits are drawn independently, so a term computed on the wrong token shows.
Teacher logits have a clear top class (ties in the argmax would be ill-posed). Inputs come from
the fresh ``seeds`` of each grading plus fixed edge cases.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_raises, expect_tensor, fail, seeded

# The loss is O(0.1)-O(10); gradients are O(1 / B).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4
ALPHAS = (0.1, 0.3, 0.5, 0.7, 0.9)
TAUS = (1.0, 2.0, 3.0, 4.0)

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def _batch(seed: int, B: int | None = None, C: int | None = None) -> Batch:
    """(class logits, distillation logits, teacher logits, labels); B in [2, 16], C in [3, 12]
    unless given. The teacher's top logit leads the next by at least 0.5."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 13, (1,), generator=g))
    cls = torch.randn(B, C, generator=g) * 2
    dist = torch.randn(B, C, generator=g) * 2
    teacher = torch.randn(B, C, generator=g) * 3
    top = teacher.argmax(dim=1)
    teacher[torch.arange(B), top] += 0.5
    labels = torch.randint(0, C, (B,), generator=g)
    return cls, dist, teacher, labels


def _draw(seed: int) -> tuple[float, float]:
    g = seeded(seed + 1)
    alpha = ALPHAS[int(torch.randint(0, len(ALPHAS), (1,), generator=g))]
    tau = TAUS[int(torch.randint(0, len(TAUS), (1,), generator=g))]
    return alpha, tau


def _case(batch: Batch, kind: str, alpha: float, tau: float) -> str:
    B, C = batch[0].shape
    return f"B={B}, C={C}, {kind}, alpha={alpha:g}, tau={tau:g}"


def _ref(reference: Any, batch: Batch, kind: str, alpha: float, tau: float) -> torch.Tensor:
    with torch.no_grad():
        return reference.deit_distillation_loss(
            *(x.clone() for x in batch), distillation_type=kind, alpha=alpha, tau=tau
        )


def _expect_value(
    submission: Any,
    reference: Any,
    batch: Batch,
    kind: str,
    alpha: float,
    tau: float,
    case: str | Case | None = None,
) -> None:
    got = submission.deit_distillation_loss(*batch, distillation_type=kind, alpha=alpha, tau=tau)
    want = _ref(reference, batch, kind, alpha, tau)
    shown = case if case is not None else _case(batch, kind, alpha, tau)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=shown)


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    batch = _batch(seeds[0], B=8, C=10)
    for kind in ("hard", "soft"):
        got = submission.deit_distillation_loss(*batch, distillation_type=kind)
        expect_tensor(got, shape=(), dtype=torch.float32, case=_case(batch, kind, 0.5, 1.0))


@pytest.mark.feedback(
    en="hard distillation: cross-entropy of the class token against the labels, mixed with the "
    "cross-entropy of the distillation token against the teacher's top class, as "
    "base · (1 − alpha) + distillation · alpha",
    zh="硬蒸馏：class token 对标签的交叉熵，与蒸馏 token 对教师最大类的交叉熵按 "
    "base · (1 − alpha) + distillation · alpha 组合",
    hint=2,
)
def test_hard_matches_reference(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Hard distillation matches the reference on random batches

    zh: 硬蒸馏在随机 batch 上与参考答案一致
    """
    for seed in seeds[:3]:
        alpha, _ = _draw(seed)
        _expect_value(submission, reference, _batch(seed), "hard", alpha, 1.0)


@pytest.mark.feedback(
    en="soft distillation: KL(teacher ‖ distillation token) at tau, summed, × tau², divided as "
    "DeiT divides it, mixed with the class token's cross-entropy by alpha",
    zh="软蒸馏：温度 tau 下的 KL(教师 ‖ 蒸馏 token)，求和，乘以 tau²，按 DeiT 的方式做除法，再与 class token "
    "的交叉熵按 alpha 组合",
    hint=2,
)
def test_soft_matches_reference(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Soft distillation matches the reference on random batches and temperatures

    zh: 软蒸馏在随机 batch 和温度下与参考答案一致
    """
    for seed in seeds:
        _expect_value(submission, reference, _batch(seed), "soft", *_draw(seed))


@pytest.mark.feedback(
    en="with alpha = 1 only the soft term remains: DeiT sums the KL over every element and "
    "divides by outputs_kd.numel(), the number of elements B·C (their 'legacy' reduction), "
    "not by the batch size; × tau²",
    zh="alpha = 1 时只剩软蒸馏项：DeiT 把 KL 在所有元素上求和，再除以 outputs_kd.numel()，即元素个数 B·C"
    "（他们说的“旧版”归约方式），而不是除以 batch 大小；再乘以 tau²",
    hint=3,
)
def test_soft_term_reduction(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The soft term alone (alpha = 1): DeiT's reduction and tau²

    zh: 只有软蒸馏项（alpha = 1）：DeiT 的归约方式和 tau²
    """
    for seed, (B, C, tau) in zip(seeds[:2], ((4, 10, 1.0), (8, 5, 3.0)), strict=True):
        _expect_value(submission, reference, _batch(seed, B=B, C=C), "soft", 1.0, tau)


@pytest.mark.feedback(
    en="with alpha = 1 only the hard term remains: the distillation token's cross-entropy "
    "against the teacher's argmax (the labels are for the class token), with no temperature",
    zh="alpha = 1 时只剩硬蒸馏项：蒸馏 token 对教师 argmax 的交叉熵（标签是给 class token 用的），没有温度",
    hint=3,
)
def test_hard_term_targets(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The hard term alone (alpha = 1) uses the teacher's argmax and ignores tau

    zh: 只有硬蒸馏项（alpha = 1）：使用教师的 argmax，与 tau 无关
    """
    for seed, tau in zip(seeds[:2], (1.0, 3.0), strict=True):
        _expect_value(submission, reference, _batch(seed, B=8, C=6), "hard", 1.0, tau)


@pytest.mark.feedback(
    en="alpha weighs the distillation term and 1 − alpha the base term; with alpha = 0 the loss "
    "is the class token's plain cross-entropy with the labels",
    zh="alpha 是蒸馏项的权重，1 − alpha 是基础项的权重；alpha = 0 时损失就是 class token 与标签之间的普通交叉熵",
    hint=1,
)
def test_alpha_weighs_distillation(submission: Any, reference: Any, seeds: list[int]) -> None:
    """alpha = 0 leaves the class token's cross-entropy with the labels

    zh: alpha = 0 时只剩 class token 与标签的交叉熵
    """
    for seed, kind in zip(seeds[:2], ("hard", "soft"), strict=True):
        _expect_value(submission, reference, _batch(seed, B=6, C=8), kind, 0.0, 2.0)


@pytest.mark.feedback(
    en="distillation_type 'none' returns the base criterion as it is: no distillation term and "
    "no (1 − alpha) weight",
    zh="distillation_type 为 'none' 时原样返回基础损失：没有蒸馏项，也不乘 (1 − alpha)",
    hint=2,
)
def test_none_is_the_base_loss(submission: Any, reference: Any, seeds: list[int]) -> None:
    """distillation_type 'none' is the class token's cross-entropy alone

    zh: distillation_type 为 'none' 时只有 class token 的交叉熵
    """
    _expect_value(submission, reference, _batch(seeds[0], B=6, C=8), "none", 0.7, 2.0)


@pytest.mark.feedback(
    en="the defaults are DeiT's main.py ones for the alpha and tau (--distillation-alpha 0.5, "
    "--distillation-tau 1.0), with hard distillation, the paper's best variant",
    zh="默认值是 DeiT main.py 中的 alpha 和 tau（--distillation-alpha 0.5、--distillation-tau 1.0），"
    "蒸馏类型默认为硬蒸馏，即论文中效果最好的变体",
    hint=2,
)
def test_defaults(submission: Any, seeds: list[int]) -> None:
    """The defaults are hard distillation, alpha = 0.5, tau = 1

    zh: 默认值为硬蒸馏、alpha = 0.5、tau = 1
    """
    batch = _batch(seeds[0], B=6, C=10)
    for kind, call in (("hard", {}), ("soft", {"distillation_type": "soft"})):
        case = _case(batch, kind, 0.5, 1.0)
        explicit = submission.deit_distillation_loss(
            *batch, distillation_type=kind, alpha=0.5, tau=1.0
        )
        expect_tensor(explicit, shape=(), dtype=torch.float32, case=case)
        expect_close(
            submission.deit_distillation_loss(*batch, **call),
            explicit,
            atol=1e-6,
            rtol=1e-6,
            case=Case(
                f"{case} given explicitly vs. left to the defaults",
                f"{case}，显式传入与使用默认值相比",
            ),
        )


def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a batch of 1 in both modes

    zh: batch 大小为 1 时两种模式都正确
    """
    batch = _batch(seeds[0], B=1, C=10)
    for kind in ("hard", "soft"):
        _expect_value(submission, reference, batch, kind, 0.5, 2.0)


# --- Gradients ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="each head gets its own term: the class token only the base loss, the distillation "
    "token only the distillation term; check that neither is detached",
    zh="两个输出头各有各的项：class token 只接收基础损失，蒸馏 token 只接收蒸馏项；检查两者都没有被 detach",
    hint=2,
)
def test_gradients_of_both_tokens(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradients w.r.t. the class-token and distillation-token logits are right

    zh: 对 class token 和蒸馏 token 的 logits 的梯度正确
    """
    for seed, kind in zip(seeds[:2], ("soft", "hard"), strict=True):
        batch = _batch(seed, B=6, C=8)
        alpha, tau = 0.3, 2.0
        case = _case(batch, kind, alpha, tau)
        result = submission.deit_distillation_loss.call(*batch, kind, alpha, tau, grad_of=[0, 1])
        cls, dist = (x.clone().requires_grad_(True) for x in batch[:2])
        reference.deit_distillation_loss(
            cls, dist, batch[2].clone(), batch[3].clone(), kind, alpha, tau
        ).backward()
        for index, want, (name, name_zh) in (
            (0, cls.grad, ("class-token", "class token")),
            (1, dist.grad, ("distillation-token", "蒸馏 token")),
        ):
            grad = result.grads.get(index)
            if grad is None:
                fail(
                    f"no gradient reached the {name} logits on {case}",
                    f"没有梯度传到{name_zh}的 logits（{case}）",
                )
            assert want is not None
            expect_close(
                grad,
                want,
                atol=GRAD_ATOL,
                rtol=GRAD_RTOL,
                case=case,
                what=f"the gradient w.r.t. the {name} logits",
                what_zh=f"对{name_zh} logits 的梯度",
            )


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (DeiT runs it under torch.no_grad())",
    zh="教师是固定的目标：detach 它的 logits（DeiT 在 torch.no_grad() 下运行教师）",
    hint=1,
)
def test_teacher_gets_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's logits receive no gradient

    zh: 教师的 logits 没有得到梯度
    """
    batch = _batch(seeds[0], B=6, C=8)
    result = submission.deit_distillation_loss.call(*batch, "soft", 0.5, 2.0, grad_of=[0, 1, 2])
    grad = result.grads.get(2)
    if grad is not None and bool((grad != 0).any()):
        case = _case(batch, "soft", 0.5, 2.0)
        fail(
            f"the teacher's logits received a gradient on {case}",
            f"教师的 logits 得到了梯度（{case}）",
        )


# --- Arguments ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="only 'none', 'soft' and 'hard' exist (DeiT asserts it): anything else must raise "
    "ValueError rather than train with some other loss",
    zh="只有 'none'、'soft' 和 'hard' 三种（DeiT 用 assert 检查）：其他取值必须抛出 ValueError，"
    "而不是悄悄用别的损失训练",
    hint=1,
)
def test_unknown_type_raises(submission: Any, seeds: list[int]) -> None:
    """An unknown distillation_type raises ValueError

    zh: 未知的 distillation_type 抛出 ValueError
    """
    batch = _batch(seeds[0], B=4, C=5)
    for kind in ("Hard", "kl"):
        expect_raises(
            submission.deit_distillation_loss,
            "ValueError",
            *batch,
            distillation_type=kind,
            case=f"distillation_type={kind!r}",
        )
