"""Hidden suite for kd_loss: distillation_loss(student_logits, teacher_logits, labels, T, alpha).

Inputs are drawn from the fresh ``seeds`` of each grading, plus fixed edge cases (alpha = 0 and 1,
T = 1 and 20, identical logits, a batch of one, logits of magnitude 100 whose rows' maxima lie
~190 apart, the default temperature and alpha). Every comparison goes through the checks of
kdquiz.grading.suite, which never reveal expected values.
"""

from __future__ import annotations

import pytest
import torch

from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_float,
    expect_tensor,
    fail,
    per_class_picture,
    seeded,
)

# float32 tolerances: the loss is O(1)-O(100); gradients are O(1/B).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4


def _batch(seed: int, B: int | None = None, C: int | None = None, scale: float = 3.0):
    """Random (student, teacher, labels) for a seed; B and C are drawn too unless given."""
    g = seeded(seed)
    if B is None:
        B = int(torch.randint(2, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 11, (1,), generator=g))
    student = torch.randn(B, C, generator=g) * scale
    teacher = torch.randn(B, C, generator=g) * scale
    labels = torch.randint(0, C, (B,), generator=g)
    return student, teacher, labels


def _draw_t_alpha(seed: int) -> tuple[float, float]:
    """A temperature in [1.5, 8] (step 0.5) and an alpha in [0.1, 0.9] (step 0.05)."""
    g = seeded(seed + 1)
    T = 1.5 + 0.5 * int(torch.randint(0, 14, (1,), generator=g))
    alpha = round(0.1 + 0.05 * int(torch.randint(0, 17, (1,), generator=g)), 2)
    if alpha == 0.5:  # 0.5 cannot tell the two weights apart
        alpha = 0.3
    return T, alpha


def _case(s: torch.Tensor, T: float, alpha: float) -> str:
    return f"B={s.shape[0]}, C={s.shape[1]}, T={T:g}, alpha={alpha:g}"


def _large_case(s: torch.Tensor, T: float) -> Case:
    return Case(
        _case(s, T, 0.5) + ", logits of magnitude 100", _case(s, T, 0.5) + "，logits 量级为 100"
    )


def _ref_value(reference, s, t, y, T, alpha) -> torch.Tensor:
    with torch.no_grad():
        return reference.distillation_loss(s.clone(), t.clone(), y.clone(), T, alpha)


def _ref_grad(reference, s, t, y, T, alpha) -> torch.Tensor:
    s = s.clone().requires_grad_(True)
    reference.distillation_loss(s, t.clone(), y.clone(), T, alpha).backward()
    return s.grad


def _large_cases(seed: int):
    """(student, teacher, labels, T) with logits of magnitude 100: a fixed batch, and a random one
    whose rows have maxima ~190 apart, at T = 1 and T = 4."""
    fixed_s = torch.tensor([[100.0, -100.0, 0.0, 50.0], [-100.0, 100.0, 20.0, -50.0]])
    fixed_t = torch.tensor([[-100.0, 100.0, 0.0, 0.0], [100.0, -100.0, -30.0, 80.0]])
    fixed_y = torch.tensor([1, 0])
    g = seeded(seed)
    rand_s = (torch.rand(4, 6, generator=g) * 2 - 1) * 100
    rand_t = (torch.rand(4, 6, generator=g) * 2 - 1) * 100
    rand_s[:, 0], rand_t[:, 1] = 100.0, -100.0
    rand_y = torch.randint(0, 6, (4,), generator=g)
    # Rows 1 and 3 lie in [-100, -90], ~190 below the maximum (100) of rows 0 and 2: more than
    # 88·T apart at T = 1, so shifting by the batch's maximum instead of each row's underflows.
    rand_s[1::2] = -100.0 + torch.rand(2, 6, generator=g) * 10
    rand_t[1::2] = -100.0 + torch.rand(2, 6, generator=g) * 10
    return (
        (fixed_s, fixed_t, fixed_y, 1.0),
        (fixed_s, fixed_t, fixed_y, 4.0),
        (rand_s, rand_t, rand_y, 1.0),
        (rand_s, rand_t, rand_y, 4.0),
    )


def test_returns_scalar(submission, seeds):
    """returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    s, t, y = _batch(seeds[0], B=8, C=10)
    got = submission.distillation_loss(s, t, y, 4.0, 0.5)
    expect_tensor(got, shape=(), dtype=torch.float32, case="B=8, C=10, T=4, alpha=0.5")


@pytest.mark.feedback(
    en="check the KL direction (teacher is the target), the T² factor, 'batchmean', and that "
    "alpha weights the soft term",
    zh="检查 KL 的方向（教师是目标分布）、T² 因子、reduction 是否为 batchmean，以及 alpha 乘的是否是软项",
    hint=2,
)
def test_matches_reference_random(submission, reference, seeds):
    """matches the reference on random batches, temperatures and alphas

    zh: 在随机的批数据、温度和 alpha 下与参考实现一致
    """
    for seed in seeds:
        s, t, y = _batch(seed)
        T, alpha = _draw_t_alpha(seed)
        got = submission.distillation_loss(s, t, y, temperature=T, alpha=alpha)
        want = _ref_value(reference, s, t, y, T, alpha)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, T, alpha))


@pytest.mark.feedback(
    en="with alpha = 1 only the soft term remains: is it KL(teacher ‖ student) × T², averaged "
    "over the batch ('batchmean', not 'mean')?",
    zh="alpha = 1 时只剩软项：它是否为以教师为目标的 KL(p_t ‖ p_s) × T²，并按批求平均（batchmean，而不是 mean）？",
    hint=2,
)
def test_alpha_one_is_soft_term(submission, reference, seeds):
    """alpha = 1 gives the pure soft term (KL × T²)

    zh: alpha = 1 时只剩软项（KL × T²）
    """
    for seed, T in zip(seeds[:2], (4.0, 2.5), strict=True):
        s, t, y = _batch(seed, B=6, C=5)
        got = submission.distillation_loss(s, t, y, temperature=T, alpha=1.0)
        want = _ref_value(reference, s, t, y, T, 1.0)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, T, 1.0))


@pytest.mark.feedback(
    en="with alpha = 0 only the hard term remains: plain cross-entropy on the raw student "
    "logits (no temperature), weighted by 1 - alpha",
    zh="alpha = 0 时只剩硬项：在原始学生 logits 上（不除以温度）计算普通交叉熵，权重为 1 - alpha",
    hint=1,
)
def test_alpha_zero_is_cross_entropy(submission, reference, seeds):
    """alpha = 0 gives plain cross-entropy on the hard labels

    zh: alpha = 0 时就是硬标签上的普通交叉熵
    """
    for seed in seeds[:2]:
        s, t, y = _batch(seed, B=6, C=5)
        got = submission.distillation_loss(s, t, y, temperature=4.0, alpha=0.0)
        want = _ref_value(reference, s, t, y, 4.0, 0.0)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, 4.0, 0.0))


@pytest.mark.feedback(
    en="is the soft term scaled by T² (not T, not 1), and does only the soft term use the "
    "temperature?",
    zh="软项乘以 T² 了吗（不是 T，也不是 1）？温度是否只用在软项上？",
    hint=2,
)
def test_temperature_edges(submission, reference, seeds):
    """correct at T = 1 and T = 20

    zh: T = 1 和 T = 20 时结果正确
    """
    for seed, T in zip(seeds[:2], (1.0, 20.0), strict=True):
        s, t, y = _batch(seed, B=5, C=7)
        got = submission.distillation_loss(s, t, y, temperature=T, alpha=0.7)
        want = _ref_value(reference, s, t, y, T, 0.7)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, T, 0.7))


@pytest.mark.feedback(
    en="with alpha = 1 the loss is the soft term alone, a KL divergence, which is 0 when the "
    "two distributions are equal; F.kl_div expects log-probabilities as its first argument",
    zh="alpha = 1 时损失只剩软项，即 KL 散度，两个分布相同时为 0；F.kl_div 的第一个参数应是对数概率",
    hint=3,
)
def test_identical_logits_give_zero(submission, seeds):
    """identical teacher and student with alpha = 1 gives 0

    zh: 教师与学生相同且 alpha = 1 时结果为 0
    """
    for seed, B in zip(seeds[:2], (6, 1), strict=True):
        s, _, y = _batch(seed, B=B, C=5)
        got = submission.distillation_loss(s, s.clone(), y, temperature=4.0, alpha=1.0)
        expect_float(
            got,
            0.0,
            atol=1e-5,
            rtol=0.0,
            case=Case(
                f"B={B}, C=5, T=4, alpha=1, teacher = student",
                f"B={B}, C=5, T=4, alpha=1，教师与学生相同",
            ),
        )


def test_batch_of_one(submission, reference, seeds):
    """works for a batch of 1

    zh: 批大小为 1 时也能正确计算
    """
    s, t, y = _batch(seeds[0], B=1, C=10)
    T, alpha = _draw_t_alpha(seeds[0])
    got = submission.distillation_loss(s, t, y, temperature=T, alpha=alpha)
    want = _ref_value(reference, s, t, y, T, alpha)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, T, alpha))


@pytest.mark.feedback(
    en="check the T² factor, the KL direction and that the gradient is not averaged over classes",
    zh="检查 T² 因子、KL 方向，以及梯度没有再按类别数平均",
    hint=2,
)
def test_student_gradient(submission, reference, seeds):
    """gradient with respect to the student logits matches the reference

    zh: 对学生 logits 的梯度与参考实现一致
    """
    for seed in seeds[:3]:
        s, t, y = _batch(seed)
        T, alpha = _draw_t_alpha(seed)
        case = _case(s, T, alpha)
        result = submission.distillation_loss.call(s, t, y, T, alpha, grad_of=[0, 1])
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"no gradient reached the student logits on {case}: "
                "is the loss built from them with differentiable torch operations?",
                f"梯度没有传到学生 logits（{case}）：损失是否由它们经可微的 torch 运算得到？",
            )
        want = _ref_grad(reference, s, t, y, T, alpha)
        # the picture: per class, the teacher's softened target next to both gradients
        teacher = torch.softmax(t.double() / T, dim=-1)
        expect_close(
            grad,
            want,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="gradient",
            what_zh="梯度",
            picture=per_class_picture(
                (Case("teacher p_t", "教师 p_t"), teacher), what=Case("gradient", "梯度")
            ),
        )


@pytest.mark.feedback(
    en="the teacher is a fixed target: detach its logits (or compute its softmax under "
    "torch.no_grad())",
    zh="教师是固定的目标：对它的 logits 调用 detach()（或在 torch.no_grad() 下计算其 softmax）",
    hint=3,
)
def test_no_teacher_gradient(submission, seeds):
    """no gradient flows into the teacher logits

    zh: 没有梯度传到教师 logits
    """
    s, t, y = _batch(seeds[0], B=8, C=10)
    # T = 1 too: a shortcut for "no softening" must detach the teacher as well.
    for T in (4.0, 1.0):
        result = submission.distillation_loss.call(s, t, y, T, 0.5, grad_of=[0, 1])
        grad = result.grads.get(1)
        if grad is not None and bool((grad != 0).any()):
            fail(
                f"a gradient flowed into the teacher logits on B=8, C=10, T={T:g}, alpha=0.5",
                f"梯度传到了教师 logits（B=8, C=10, T={T:g}, alpha=0.5）",
            )


@pytest.mark.feedback(
    en="get log-probabilities from F.log_softmax (or F.cross_entropy), not "
    "torch.log(F.softmax(...)), which gives log(0) = -inf for large logits; and pass the "
    "student's log-probabilities as the first argument of F.kl_div",
    zh="用 F.log_softmax（或 F.cross_entropy）得到对数概率，不要用 torch.log(F.softmax(...))："
    "logits 很大时会出现 log(0) = -inf；并把学生的对数概率作为 F.kl_div 的第一个参数",
    hint=3,
)
def test_stable_large_logits(submission, seeds):
    """stable for logits of magnitude 100

    zh: logits 量级为 100 时数值稳定
    """
    for s, t, y, T in _large_cases(seeds[0]):
        case = _large_case(s, T)
        # expect_tensor also rejects inf and NaN, in the value and in the gradient.
        result = submission.distillation_loss.call(s, t, y, T, 0.5, grad_of=[0])
        expect_tensor(result.value, shape=(), dtype=torch.float32, case=case)
        grad = result.grads.get(0)
        if grad is not None:
            expect_tensor(
                grad,
                shape=tuple(s.shape),
                dtype=torch.float32,
                case=Case(case.en + " (gradient)", case.zh + "，梯度"),
            )


@pytest.mark.feedback(
    en="for logits of magnitude 100 the loss must be right, not only finite: clamping the logits, "
    "clamping the probabilities or adding an epsilon before the log changes the value and the "
    "gradient, and a stability shift must use each row's own maximum, not the whole batch's",
    zh="logits 量级为 100 时，损失不仅要有限，还要正确：截断 logits、截断概率或在取对数前加 epsilon "
    "都会改变数值和梯度；为数值稳定而做的平移必须减去每一行自己的最大值，而不是整个批次的最大值",
    hint=3,
)
def test_large_logits_match_reference(submission, reference, seeds):
    """matches the reference, value and gradient, for logits of magnitude 100

    zh: logits 量级为 100 时，数值和梯度都与参考实现一致
    """
    for s, t, y, T in _large_cases(seeds[1]):
        case = _large_case(s, T)
        result = submission.distillation_loss.call(s, t, y, T, 0.5, grad_of=[0])
        expect_close(
            result.value,
            _ref_value(reference, s, t, y, T, 0.5),
            atol=ATOL,
            rtol=RTOL,
            case=case,
        )
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"no gradient reached the student logits on {case.en}: "
                "is the loss built from them with differentiable torch operations?",
                f"梯度没有传到学生 logits（{case.zh}）：损失是否由它们经可微的 torch 运算得到？",
            )
        expect_close(
            grad,
            _ref_grad(reference, s, t, y, T, 0.5),
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="gradient",
            what_zh="梯度",
        )


@pytest.mark.feedback(
    en="when temperature and alpha are not passed, the signature's defaults apply: "
    "temperature=4.0 and alpha=0.5",
    zh="调用时没有传 temperature 和 alpha 时，使用函数签名里的默认值：temperature=4.0、alpha=0.5",
)
def test_default_arguments(submission, reference, seeds):
    """uses the defaults temperature = 4 and alpha = 0.5 when they are not passed

    zh: 不传 temperature 和 alpha 时使用默认值 4 和 0.5
    """
    s, t, y = _batch(seeds[0])
    got = submission.distillation_loss(s, t, y)
    with torch.no_grad():
        want = reference.distillation_loss(s.clone(), t.clone(), y.clone())
    case = Case(
        f"B={s.shape[0]}, C={s.shape[1]}, temperature and alpha not passed",
        f"B={s.shape[0]}, C={s.shape[1]}，未传 temperature 和 alpha",
    )
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
