"""Hidden suite for token_kl: token_kl_loss(student_logits, teacher_logits, mask, T, reverse).

Inputs are language-model logits (B, L, V) drawn from the fresh ``seeds`` of each grading, with
padding masks, plus fixed edge cases (fully masked batch, logits of magnitude 200). Padded
positions get larger, "garbage" logits so that counting them changes the result clearly. Every
comparison goes through the checks of kdquiz.grading.suite, which never reveal expected values.
"""

from __future__ import annotations

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_float, expect_tensor, fail, seeded

# float32 tolerances: the loss is O(0.01)-O(10); gradients are O(1 / kept tokens).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4


def _draw(
    seed: int,
    *,
    B: int | None = None,
    L: int | None = None,
    V: int | None = None,
    padding: str = "ragged",
    scale: float = 3.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Random (student, teacher, mask) for a seed; B, L and V are drawn too unless given.

    padding: "ragged" (right padding, a different length per sequence, at least one of them
    shorter than L), "equal" (right padding, the same length for every sequence), "random"
    (any pattern, e.g. prompt tokens excluded) or "none".
    """
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 5, (1,), generator=g))
    if L is None:
        L = int(torch.randint(4, 9, (1,), generator=g))
    if V is None:
        V = int(torch.randint(5, 17, (1,), generator=g))
    student = torch.randn(B, L, V, generator=g) * scale
    teacher = torch.randn(B, L, V, generator=g) * scale
    positions = torch.arange(L).expand(B, L)
    if padding == "ragged":
        lengths = torch.randint(1, L + 1, (B,), generator=g)
        lengths[0] = L  # one full sequence ...
        lengths[1] = int(torch.randint(1, L // 2 + 1, (1,), generator=g))  # ... and a short one
        mask = positions < lengths[:, None]
    elif padding == "equal":
        length = int(torch.randint(2, L, (1,), generator=g))
        mask = positions < length
    elif padding == "random":
        mask = torch.rand(B, L, generator=g) < 0.6
        mask[0, 0] = True
    else:
        mask = torch.ones(B, L, dtype=torch.bool)
    # Padded positions: garbage logits, much sharper than the real ones.
    garbage = ~mask
    student[garbage] *= 5.0
    teacher[garbage] *= 5.0
    return student, teacher, mask.contiguous()


def _draw_temperature(seed: int) -> float:
    g = seeded(seed + 1)
    return (1.0, 1.5, 2.0, 3.0, 4.0)[int(torch.randint(0, 5, (1,), generator=g))]


def _case(
    s: torch.Tensor, mask: torch.Tensor, T: float, reverse: bool, extra: Case | None = None
) -> Case:
    B, L, V = s.shape
    text = f"B={B}, L={L}, V={V}, T={T:g}, reverse={reverse}"
    en = f"{text}, {int(mask.sum())} of {B * L} tokens kept"
    zh = f"{text}，保留 {int(mask.sum())}/{B * L} 个 token"
    if extra is None:
        return Case(en, zh)
    return Case(f"{en}, {extra.en}", f"{zh}，{extra.zh}")


def _ref_value(reference, s, t, mask, T, reverse) -> torch.Tensor:
    with torch.no_grad():
        return reference.token_kl_loss(s.clone(), t.clone(), mask.clone(), T, reverse)


def _ref_grad(reference, s, t, mask, T, reverse) -> torch.Tensor:
    s = s.clone().requires_grad_(True)
    reference.token_kl_loss(s, t.clone(), mask.clone(), T, reverse).backward()
    return s.grad


def _check_against_reference(
    submission, reference, s, t, mask, T, reverse, extra: Case | None = None
) -> None:
    got = submission.token_kl_loss(s, t, mask, temperature=T, reverse=reverse)
    want = _ref_value(reference, s, t, mask, T, reverse)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, mask, T, reverse, extra))


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission, seeds):
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    s, t, mask = _draw(seeds[0], B=2, L=5, V=7)
    got = submission.token_kl_loss(s, t, mask)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(s, mask, 1.0, False))


@pytest.mark.feedback(
    en="keep the defaults of the signature in the statement: when the caller gives neither "
    "temperature nor reverse, the loss is the plain forward KL at T = 1",
    zh="保持题目中签名给出的默认值：调用者既不传 temperature 也不传 reverse 时，损失就是 T = 1 下的普通前向 KL",
    hint=2,
)
def test_default_arguments(submission, reference, seeds):
    """The defaults are temperature = 1 and the forward direction

    zh: 默认值为 temperature = 1 和前向方向
    """
    s, t, mask = _draw(seeds[0], padding="random")
    got = submission.token_kl_loss(s, t, mask)
    with torch.no_grad():
        want = reference.token_kl_loss(s.clone(), t.clone(), mask.clone())
    case = _case(
        s,
        mask,
        1.0,
        False,
        Case("temperature and reverse left to their defaults", "temperature 和 reverse 使用默认值"),
    )
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="forward KL is Σ_v p·(log p − log q) with p the teacher, summed over the vocabulary, "
    "then averaged over the kept tokens",
    zh="前向 KL 是 Σ_v p·(log p − log q)，p 是教师的分布；先在词表上求和，再对保留的 token 求平均",
    hint=2,
)
def test_forward_kl_matches(submission, reference, seeds):
    """Forward KL(teacher ‖ student) matches on random padded batches

    zh: 在随机填充的批数据上，前向 KL(teacher ‖ student) 一致
    """
    for seed in seeds:
        s, t, mask = _draw(seed, padding="random")
        _check_against_reference(submission, reference, s, t, mask, _draw_temperature(seed), False)


@pytest.mark.feedback(
    en="reverse=True is KL(q ‖ p) = Σ_v q·(log q − log p): the student's probabilities are the "
    "weights",
    zh="reverse=True 时是 KL(q ‖ p) = Σ_v q·(log q − log p)：权重是学生的概率",
    hint=2,
)
def test_reverse_kl_matches(submission, reference, seeds):
    """Reverse KL(student ‖ teacher) matches on random padded batches

    zh: 在随机填充的批数据上，反向 KL(student ‖ teacher) 一致
    """
    for seed in seeds:
        s, t, mask = _draw(seed, padding="random")
        _check_against_reference(submission, reference, s, t, mask, _draw_temperature(seed), True)


@pytest.mark.feedback(
    en="a KL divergence is 0 when the two distributions agree; −Σ p·log q (the cross-entropy) "
    "is not, it still contains the teacher's entropy",
    zh="两个分布相同时 KL 散度为 0；−Σ p·log q（交叉熵）则不是，它还包含教师分布的熵",
    hint=1,
)
def test_identical_logits_give_zero(submission, seeds):
    """Identical teacher and student give 0 in both directions

    zh: 教师与学生相同时，两个方向的结果都为 0
    """
    for seed, reverse in zip(seeds[:2], (False, True), strict=True):
        s, _, mask = _draw(seed, padding="ragged")
        case = _case(s, mask, 2.0, reverse, Case("teacher = student", "教师与学生相同"))
        got = submission.token_kl_loss(s, s.clone(), mask, temperature=2.0, reverse=reverse)
        expect_float(got, 0.0, atol=1e-5, rtol=0.0, case=case)


# --- The mask -----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="padded positions must not count, neither in the sum nor in the number of tokens you "
    "divide by: (kl · mask).sum() / mask.sum()",
    zh="填充位置既不能计入求和，也不能计入作为分母的 token 数：(kl · mask).sum() / mask.sum()",
    hint=3,
)
def test_padding_does_not_count(submission, reference, seeds):
    """Padded positions do not count

    zh: 填充的位置不计入
    """
    for seed in seeds[:2]:
        s, t, mask = _draw(seed, padding="equal")
        _check_against_reference(
            submission,
            reference,
            s,
            t,
            mask,
            1.0,
            False,
            Case("every sequence equally padded", "每个序列的填充长度相同"),
        )


@pytest.mark.feedback(
    en="average over all kept tokens of the batch at once, not per sequence and then over "
    "sequences: a short sequence must not weigh more per token",
    zh="对整个批中所有保留的 token 一起求平均，而不是先按序列平均再对序列平均：短序列中的 token 不应有更大的权重",
    hint=3,
)
def test_mean_over_tokens_not_sequences(submission, reference, seeds):
    """The mean is over tokens, not over sequences

    zh: 对 token 求平均，而不是对序列求平均
    """
    for seed in seeds[:2]:
        s, t, mask = _draw(seed, padding="ragged")
        _check_against_reference(
            submission,
            reference,
            s,
            t,
            mask,
            1.0,
            False,
            Case("sequences of different lengths", "序列长度各不相同"),
        )


@pytest.mark.feedback(
    en="with no kept token there is nothing to average: return 0, without dividing by 0, and "
    "keep the result attached to the student's logits (e.g. total / mask.sum().clamp(min=1))",
    zh="没有保留的 token 时没有可平均的内容：返回 0，不要除以 0，并且结果仍要连在学生 logits 的计算图上"
    "（例如 total / mask.sum().clamp(min=1)）",
    hint=3,
)
def test_fully_masked_batch_gives_zero(submission, seeds):
    """A fully masked batch gives 0 with a zero (not NaN) gradient

    zh: 全部被遮住的批结果为 0，梯度为 0（不是 NaN）
    """
    s, t, _ = _draw(seeds[0], B=2, L=4, V=6)
    mask = torch.zeros(2, 4, dtype=torch.bool)
    for reverse in (False, True):
        case = _case(s, mask, 1.0, reverse)
        result = submission.token_kl_loss.call(s, t, mask, 1.0, reverse, grad_of=[0])
        expect_tensor(result.value, shape=(), dtype=torch.float32, case=case)
        expect_float(result.value, 0.0, atol=0.0, rtol=0.0, case=case)
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"the result is not attached to the student's logits on {case.en}: "
                "loss.backward() would raise in a training loop",
                f"结果没有连在学生 logits 的计算图上（{case.zh}）：训练循环中的 loss.backward() 会报错",
            )
        expect_close(
            grad,
            torch.zeros_like(s),
            atol=0.0,
            rtol=0.0,
            case=case,
            what="gradient",
            what_zh="梯度",
        )


# --- Temperature, gradients, stability ---------------------------------------------------------


@pytest.mark.feedback(
    en="divide both the student's and the teacher's logits by T, and do not multiply by T² "
    "(this exercise's convention)",
    zh="学生和教师的 logits 都要除以 T，并且不要乘 T²（这是本题的约定）",
    hint=2,
)
def test_temperature_on_both_sides(submission, reference, seeds):
    """The temperature softens both distributions, with no T² factor

    zh: 温度软化两个分布，且没有 T² 因子
    """
    for seed, (T, reverse) in zip(seeds, ((2.0, False), (5.0, False), (3.0, True), (0.5, True))):
        s, t, mask = _draw(seed, padding="random")
        _check_against_reference(submission, reference, s, t, mask, T, reverse)


@pytest.mark.feedback(
    en="the gradient reaches the student through both log q and, for the reverse KL, the "
    "weights q themselves: keep every step in differentiable torch operations",
    zh="梯度通过 log q 传到学生，反向 KL 时还通过权重 q 本身：每一步都要用可微的 torch 运算",
    hint=2,
)
def test_student_gradient(submission, reference, seeds):
    """The gradient with respect to the student's logits matches

    zh: 对学生 logits 的梯度一致
    """
    for seed, reverse in zip(seeds, (False, True, False, True)):
        s, t, mask = _draw(seed, padding="ragged")
        T = _draw_temperature(seed)
        _check_grad(submission, reference, s, t, mask, T, reverse, _case(s, mask, T, reverse))


def _check_grad(submission, reference, s, t, mask, T, reverse, case) -> None:
    result = submission.token_kl_loss.call(s, t, mask, T, reverse, grad_of=[0])
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's logits on {case.en}",
            f"梯度没有传到学生的 logits（{case.zh}）",
        )
    want = _ref_grad(reference, s, t, mask, T, reverse)
    expect_close(
        grad,
        want,
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=case,
        what="gradient",
        what_zh="梯度",
    )


@pytest.mark.feedback(
    en="the loss is over the whole vocabulary: no top-k truncation of the teacher and no "
    "renormalising over a subset of tokens",
    zh="损失是在整个词表上计算的：不要只保留教师的 top-k，也不要在部分 token 上重新归一化",
    hint=1,
)
def test_realistic_vocabulary(submission, reference, seeds):
    """A realistic vocabulary (V = 1000) in both directions

    zh: 实际规模的词表（V = 1000）下两个方向都正确
    """
    for seed, reverse in zip(seeds[:2], (False, True), strict=True):
        s, t, mask = _draw(seed, B=2, L=3, V=1000, padding="random", scale=2.0)
        _check_against_reference(
            submission, reference, s, t, mask, 1.0, reverse, Case("V=1000", "V=1000")
        )


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (or compute its distribution under "
    "torch.no_grad())",
    zh="教师是固定的目标：对它的 logits 调用 detach()（或在 torch.no_grad() 下计算它的分布）",
    hint=2,
)
def test_no_teacher_gradient(submission, seeds):
    """No gradient flows into the teacher's logits

    zh: 没有梯度传到教师的 logits
    """
    for seed, reverse in zip(seeds[:2], (False, True), strict=True):
        s, t, mask = _draw(seed, padding="ragged")
        case = _case(s, mask, 2.0, reverse)
        result = submission.token_kl_loss.call(s, t, mask, 2.0, reverse, grad_of=[0, 1])
        grad = result.grads.get(1)
        if grad is not None and bool((grad != 0).any()):
            fail(
                f"a gradient flowed into the teacher's logits on {case.en}",
                f"梯度传到了教师的 logits（{case.zh}）",
            )


@pytest.mark.feedback(
    en="use F.log_softmax for both distributions (and .exp() of it for the weights), not "
    "torch.log(F.softmax(...)), which gives log(0) = −inf and then 0 · (−inf) = NaN",
    zh="两个分布都用 F.log_softmax 得到对数概率（权重用它的 .exp()），不要用 torch.log(F.softmax(...))："
    "会出现 log(0) = −inf，进而 0 · (−inf) = NaN",
    hint=2,
)
def test_stable_large_logits(submission, reference, seeds):
    """Stable for logits of magnitude 200

    zh: logits 量级为 200 时数值稳定
    """
    g = seeded(seeds[0])
    s = (torch.rand(2, 4, 9, generator=g) * 2 - 1) * 200
    t = (torch.rand(2, 4, 9, generator=g) * 2 - 1) * 200
    s[..., 0], t[..., 0] = 200.0, -200.0  # a token the student is sure of and the teacher rules out
    t[..., 1], s[..., 1] = 200.0, -200.0  # and the other way round
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    for reverse in (False, True):
        _check_against_reference(
            submission,
            reference,
            s,
            t,
            mask,
            1.0,
            reverse,
            Case("logits of magnitude 200", "logits 量级为 200"),
        )
        # Saturated probabilities: ways of computing the same gradient round differently, so
        # only a finite gradient is required here (the random cases compare it exactly).
        case = _case(
            s,
            mask,
            1.0,
            reverse,
            Case("logits of magnitude 200, gradient", "logits 量级为 200，梯度"),
        )
        grad = submission.token_kl_loss.call(s, t, mask, 1.0, reverse, grad_of=[0]).grads.get(0)
        if grad is None or not bool(torch.isfinite(grad).all()):
            fail(
                f"the gradient with respect to the student's logits is missing or has NaN/inf "
                f"on {case.en}",
                f"对学生 logits 的梯度缺失或含有 NaN/inf（{case.zh}）",
            )
