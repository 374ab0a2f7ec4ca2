"""Hidden suite for gkd_jsd: generalized_jsd(student_logits, teacher_logits, labels, beta, T).

The reference reproduces TRL's GKDTrainer.generalized_jsd_loss (default "batchmean" reduction).
Inputs are language-model logits (B, L, V) from the fresh ``seeds`` of each grading; ignored
positions (label -100) get larger, "garbage" logits so that counting them changes the result.
Betas are drawn away from 0.5, where swapping the two weights would go unnoticed. Every
comparison goes through the checks of kdquiz.grading.suite, which never reveal expected values.
"""

from __future__ import annotations

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_float, expect_tensor, fail, seeded

# float32 tolerances: the loss is O(0.01)-O(10); gradients are O(1 / kept tokens).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4
BETAS = (0.1, 0.2, 0.3, 0.7, 0.8, 0.9)


def _draw(
    seed: int,
    *,
    B: int | None = None,
    L: int | None = None,
    V: int | None = None,
    ignored: bool = True,
    scale: float = 3.0,
    negatives: bool = False,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Random (student, teacher, labels); about 40% of the labels are -100 when ``ignored``.

    negatives: about half of the kept labels get other negative values (-1, -2, -99, -101),
    which still mark positions that count.
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
    labels = torch.randint(0, V, (B, L), generator=g)
    if ignored:
        drop = torch.rand(B, L, generator=g) < 0.4
        drop[0, 0] = False  # at least one kept token
        drop[-1, -1] = True  # and at least one ignored one
        labels[drop] = -100
        student[drop] *= 5.0
        teacher[drop] *= 5.0
    if negatives:
        others = torch.tensor([-1, -2, -99, -101])
        odd = (torch.rand(B, L, generator=g) < 0.5) & (labels != -100)
        odd[0, 0] = True  # at least one kept position with a negative label
        labels[odd] = others[torch.randint(0, 4, (int(odd.sum()),), generator=g)]
    return student, teacher, labels


def _draw_large_vocab(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A realistic vocabulary (V = 32000) on a few positions; the teacher close to the student."""
    g = seeded(seed)
    B, L, V = 2, 3, 32000
    student = torch.randn(B, L, V, generator=g) * 3.0
    teacher = student + torch.randn(B, L, V, generator=g)
    labels = torch.randint(0, V, (B, L), generator=g)
    labels[1, 2] = -100
    return student, teacher, labels


def _draw_beta_t(seed: int) -> tuple[float, float]:
    g = seeded(seed + 1)
    beta = BETAS[int(torch.randint(0, len(BETAS), (1,), generator=g))]
    T = (1.0, 1.5, 2.0, 3.0)[int(torch.randint(0, 4, (1,), generator=g))]
    return beta, T


def _case(
    s: torch.Tensor,
    labels: torch.Tensor | None,
    beta: float,
    T: float,
    extra: Case | None = None,
) -> Case:
    B, L, V = s.shape
    text = f"B={B}, L={L}, V={V}, beta={beta:g}, T={T:g}"
    if labels is None:
        en = zh = f"{text}, labels=None"
    else:
        kept = int((labels != -100).sum())
        en = f"{text}, {kept} of {B * L} labels kept"
        zh = f"{text}，保留 {kept}/{B * L} 个标签"
    if extra is None:
        return Case(en, zh)
    return Case(f"{en}, {extra.en}", f"{zh}，{extra.zh}")


_SAME = Case("teacher = student", "教师与学生相同")


def _ref_value(reference, s, t, labels, beta, T) -> torch.Tensor:
    labels = None if labels is None else labels.clone()
    with torch.no_grad():
        return reference.generalized_jsd(s.clone(), t.clone(), labels, beta, T)


def _ref_grad(reference, s, t, labels, beta, T) -> torch.Tensor:
    s = s.clone().requires_grad_(True)
    labels = None if labels is None else labels.clone()
    reference.generalized_jsd(s, t.clone(), labels, beta, T).backward()
    return s.grad


def _check_grad(submission, reference, s, t, labels, beta, T) -> None:
    case = _case(s, labels, beta, T)
    result = submission.generalized_jsd.call(s, t, labels, beta, T, grad_of=[0])
    grad = result.grads.get(0)
    if grad is None:
        fail(
            f"no gradient reached the student's logits on {case.en}",
            f"梯度没有传到学生的 logits（{case.zh}）",
        )
    want = _ref_grad(reference, s, t, labels, beta, T)
    expect_close(
        grad,
        want,
        atol=GRAD_ATOL,
        rtol=GRAD_RTOL,
        case=case,
        what="gradient",
        what_zh="梯度",
    )


def _check(submission, reference, s, t, labels, beta, T, extra: Case | None = None) -> None:
    got = submission.generalized_jsd(s, t, labels, beta=beta, temperature=T)
    want = _ref_value(reference, s, t, labels, beta, T)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(s, labels, beta, T, extra))


# --- The divergence -----------------------------------------------------------------------------


def test_returns_scalar(submission, seeds):
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    s, t, labels = _draw(seeds[0], B=2, L=5, V=7)
    got = submission.generalized_jsd(s, t, labels)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(s, labels, 0.5, 1.0))


@pytest.mark.feedback(
    en="keep the defaults of the signature in the statement (labels=None, beta=0.5, "
    "temperature=1.0), not those of a trainer's configuration",
    zh="保持题目签名中给出的默认值（labels=None、beta=0.5、temperature=1.0），而不是某个训练器配置里的默认值",
    hint=3,
)
def test_default_arguments(submission, reference, seeds):
    """The defaults are labels = None, beta = 0.5, T = 1

    zh: 默认值为 labels = None、beta = 0.5、T = 1
    """
    s, t, labels = _draw(seeds[0])
    with torch.no_grad():
        want = reference.generalized_jsd(s.clone(), t.clone(), labels.clone())
    got = submission.generalized_jsd(s, t, labels)
    case = _case(
        s,
        labels,
        0.5,
        1.0,
        Case("beta and temperature left to their defaults", "beta 和 temperature 使用默认值"),
    )
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
    with torch.no_grad():
        want = reference.generalized_jsd(s.clone(), t.clone())
    got = submission.generalized_jsd(s, t)
    case = _case(
        s,
        None,
        0.5,
        1.0,
        Case(
            "labels, beta and temperature left to their defaults",
            "labels、beta 和 temperature 使用默认值",
        ),
    )
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="JSD(β) = β·KL(p ‖ M) + (1 − β)·KL(q ‖ M) with M = β·p + (1 − β)·q, a mixture of "
    "probabilities: log M = logsumexp(log q + log(1 − β), log p + log β), not a mixture of "
    "log-probabilities",
    zh="JSD(β) = β·KL(p ‖ M) + (1 − β)·KL(q ‖ M)，其中 M = β·p + (1 − β)·q 是概率的混合："
    "log M = logsumexp(log q + log(1 − β), log p + log β)，而不是对数概率的混合",
    hint=2,
)
def test_matches_for_random_beta(submission, reference, seeds):
    """Matches TRL's generalized JSD for random beta, temperatures and masks

    zh: 在随机的 beta、温度和掩码下与 TRL 的广义 JSD 一致
    """
    for seed in seeds:
        s, t, labels = _draw(seed)
        beta, T = _draw_beta_t(seed)
        _check(submission, reference, s, t, labels, beta, T)


@pytest.mark.feedback(
    en="β weighs the teacher twice: M = β·p_teacher + (1 − β)·q_student, and β multiplies "
    "KL(p_teacher ‖ M); 1 − β goes with the student in both places",
    zh="β 在两处都跟着教师：M = β·p_teacher + (1 − β)·q_student，且 β 乘的是 KL(p_teacher ‖ M)；"
    "两处的 1 − β 都跟着学生",
    hint=1,
)
def test_beta_weights_the_teacher(submission, reference, seeds):
    """beta is the teacher's weight, in the mixture and in the sum

    zh: beta 是教师的权重，在混合分布和求和中都是
    """
    for seed, beta in zip(seeds[:2], (0.2, 0.85), strict=True):
        s, t, labels = _draw(seed)
        _check(submission, reference, s, t, labels, beta, 1.0)


@pytest.mark.feedback(
    en="TRL special-cases β = 0 as the forward KL(p_teacher ‖ q_student) per token; the mixture "
    "formula would give 0 there",
    zh="TRL 把 β = 0 单独处理为逐 token 的前向 KL(p_teacher ‖ q_student)；若直接套混合公式，这里会得到 0",
    hint=1,
)
def test_beta_zero_is_forward_kl(submission, reference, seeds):
    """beta = 0 gives the forward KL(teacher ‖ student)

    zh: beta = 0 时就是前向 KL(teacher ‖ student)
    """
    for seed, T in zip(seeds[:2], (1.0, 2.0), strict=True):
        s, t, labels = _draw(seed)
        _check(submission, reference, s, t, labels, 0.0, T)


@pytest.mark.feedback(
    en="TRL special-cases β = 1 as the reverse KL(q_student ‖ p_teacher) per token; the mixture "
    "formula would give 0 there",
    zh="TRL 把 β = 1 单独处理为逐 token 的反向 KL(q_student ‖ p_teacher)；若直接套混合公式，这里会得到 0",
    hint=1,
)
def test_beta_one_is_reverse_kl(submission, reference, seeds):
    """beta = 1 gives the reverse KL(student ‖ teacher)

    zh: beta = 1 时就是反向 KL(student ‖ teacher)
    """
    for seed, T in zip(seeds[:2], (1.0, 2.0), strict=True):
        s, t, labels = _draw(seed)
        _check(submission, reference, s, t, labels, 1.0, T)


@pytest.mark.feedback(
    en="only β = 0 and β = 1 exactly are the KL special cases (compare exactly, as TRL does): "
    "any β strictly between them, however close to an end point, uses the mixture formula",
    zh="只有恰好 β = 0 和 β = 1 才是 KL 特例（像 TRL 一样精确比较）：严格介于两者之间的 β，"
    "无论多么接近端点，都要用混合公式",
    hint=1,
)
def test_beta_near_end_points_uses_mixture(submission, reference, seeds):
    """beta close to 0 or 1 (but not equal) still uses the mixture

    zh: beta 接近 0 或 1（但不相等）时仍使用混合分布
    """
    for seed, beta in zip(seeds[:2], (1e-4, 1 - 1e-4), strict=True):
        s, t, labels = _draw(seed)
        _check(submission, reference, s, t, labels, beta, 1.0)


@pytest.mark.feedback(
    en="a divergence is 0 when the two distributions agree, for every β (including the two "
    "KL special cases)",
    zh="两个分布相同时散度为 0，对任何 β 都成立（包括两个 KL 特例）",
    hint=1,
)
def test_identical_logits_give_zero(submission, seeds):
    """Identical teacher and student give 0 for every beta

    zh: 教师与学生相同时，任何 beta 下结果都为 0
    """
    s, _, labels = _draw(seeds[0])
    for beta in (0.0, 0.3, 1.0):
        case = _case(s, labels, beta, 1.0, _SAME)
        got = submission.generalized_jsd(s, s.clone(), labels, beta=beta)
        expect_float(got, 0.0, atol=1e-5, rtol=0.0, case=case)


# --- The reduction ------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="drop the positions whose label is −100 (they must not count at all) and divide the sum "
    "by the number of kept tokens",
    zh="去掉标签为 −100 的位置（它们完全不能计入），再用保留的 token 数去除总和",
    hint=3,
)
def test_ignored_labels_are_dropped(submission, reference, seeds):
    """Positions labelled -100 are dropped; the mean is over the kept tokens

    zh: 标签为 -100 的位置被去掉；在保留的 token 上求平均
    """
    for seed in seeds[:2]:
        s, t, labels = _draw(seed)
        _check(
            submission,
            reference,
            s,
            t,
            labels,
            0.3,
            1.0,
            Case("ignored positions with garbage logits", "被忽略的位置上 logits 是无意义的值"),
        )


@pytest.mark.feedback(
    en="only the label −100 marks a position to drop; every other label, negative values "
    "included, marks a position that counts",
    zh="只有标签 −100 表示要去掉的位置；其他任何标签（包括负值）所在的位置都要计入",
    hint=3,
)
def test_only_minus_100_is_dropped(submission, reference, seeds):
    """Only the label -100 is dropped; other negative labels count

    zh: 只去掉标签 -100；其他负标签照样计入
    """
    for seed, beta in zip(seeds[:2], (0.3, 0.0), strict=True):
        s, t, labels = _draw(seed, negatives=True)
        _check(
            submission,
            reference,
            s,
            t,
            labels,
            beta,
            1.0,
            Case("some kept labels negative (not -100)", "部分保留的标签为负（不是 -100）"),
        )


@pytest.mark.feedback(
    en="without labels TRL's 'batchmean' is the sum over every position and vocabulary entry "
    "divided by the batch size B (jsd.size(0)), not by the number of tokens or entries",
    zh="没有 labels 时，TRL 的 batchmean 是对所有位置、所有词表项求和后除以批大小 B（jsd.size(0)），"
    "而不是除以 token 数或元素个数",
    hint=3,
)
def test_without_labels_divides_by_batch(submission, reference, seeds):
    """Without labels the sum is divided by the batch size

    zh: 没有 labels 时，总和除以批大小
    """
    for seed, end_point in zip(seeds, (None, None, 0.0, 1.0), strict=True):
        s, t, _ = _draw(seed, ignored=False)
        beta, T = _draw_beta_t(seed)
        if end_point is not None:
            beta = end_point  # the forward and reverse KL special cases reduce the same way
        _check(submission, reference, s, t, None, beta, T)


# --- Temperature, gradients, stability ---------------------------------------------------------


@pytest.mark.feedback(
    en="divide both models' logits by T before the log-softmax, and do not multiply by T²",
    zh="两个模型的 logits 都要先除以 T 再做 log_softmax，且不要乘 T²",
    hint=2,
)
def test_temperature(submission, reference, seeds):
    """The temperature softens both distributions, with no T² factor

    zh: 温度软化两个分布，且没有 T² 因子
    """
    for seed, (T, beta) in zip(seeds, ((2.0, 0.3), (4.0, 0.8), (0.5, 0.0), (3.0, 1.0))):
        s, t, labels = _draw(seed)
        _check(submission, reference, s, t, labels, beta, T)


@pytest.mark.feedback(
    en="the student's logits enter both q and the mixture M: keep everything in differentiable "
    "torch operations",
    zh="学生的 logits 同时出现在 q 和混合分布 M 中：全部都要用可微的 torch 运算",
    hint=2,
)
def test_student_gradient(submission, reference, seeds):
    """The gradient with respect to the student's logits matches

    zh: 对学生 logits 的梯度一致
    """
    for seed, labelled in zip(seeds, (True, False, True, True)):
        s, t, labels = _draw(seed, ignored=labelled)
        labels = labels if labelled else None
        beta, T = _draw_beta_t(seed)
        _check_grad(submission, reference, s, t, labels, beta, T)


@pytest.mark.feedback(
    en="at the end points the gradient must be the KL's own: in the reverse KL (β = 1) the "
    "student's probabilities q appear both as the weights and inside the log, and the gradient "
    "flows through every occurrence",
    zh="在端点处梯度也必须是 KL 本身的梯度：反向 KL（β = 1）中学生的概率 q 既是权重又在对数里，"
    "梯度要经过它的每一处出现",
    hint=2,
)
def test_student_gradient_end_points(submission, reference, seeds):
    """The gradient with respect to the student's logits matches at beta = 0 and 1

    zh: beta = 0 和 1 时，对学生 logits 的梯度一致
    """
    for seed, (beta, labelled) in zip(
        seeds, ((0.0, True), (1.0, True), (1.0, False), (0.0, False)), strict=True
    ):
        s, t, labels = _draw(seed, ignored=labelled)
        labels = labels if labelled else None
        _check_grad(submission, reference, s, t, labels, beta, _draw_beta_t(seed)[1])


@pytest.mark.feedback(
    en="compute log M with torch.logsumexp of the shifted log-probabilities; adding a small "
    "epsilon (or a clamp) to the mixed probabilities before the log adds V·ε of probability "
    "mass, which is no longer negligible for a vocabulary of tens of thousands of tokens",
    zh="用平移后的对数概率做 torch.logsumexp 来计算 log M；在取对数前给混合概率加一个小 epsilon（或 clamp）"
    "会凭空多出 V·ε 的概率质量，词表有几万个 token 时这已不可忽略",
    hint=2,
)
def test_realistic_vocabulary(submission, reference, seeds):
    """Exact for a realistic vocabulary of 32000 tokens

    zh: 词表为 32000 的实际规模时结果精确
    """
    s, t, labels = _draw_large_vocab(seeds[0])
    for beta in (0.5, 0.1):
        _check(
            submission,
            reference,
            s,
            t,
            labels,
            beta,
            1.0,
            Case("teacher close to the student", "教师与学生很接近"),
        )
    got = submission.generalized_jsd(s, s.clone(), labels, beta=0.5)
    case = _case(s, labels, 0.5, 1.0, _SAME)
    expect_float(got, 0.0, atol=1e-5, rtol=0.0, case=case)


@pytest.mark.feedback(
    en="compute log M in log space with torch.logsumexp: mixing the probabilities and taking "
    "the log gives log(0) = −inf where both underflow, then 0 · ∞ = NaN",
    zh="用 torch.logsumexp 在对数空间里计算 log M：先混合概率再取对数，在两者都下溢的地方会得到 log(0) = −inf，"
    "进而 0 · ∞ = NaN",
    hint=2,
)
def test_stable_large_logits(submission, reference, seeds):
    """Stable for logits of magnitude 200

    zh: logits 量级为 200 时数值稳定
    """
    g = seeded(seeds[0])
    s = (torch.rand(2, 4, 9, generator=g) * 2 - 1) * 200
    t = (torch.rand(2, 4, 9, generator=g) * 2 - 1) * 200
    s[..., 0], t[..., 0] = 200.0, -200.0
    t[..., 1], s[..., 1] = 200.0, -200.0
    labels = torch.randint(0, 9, (2, 4), generator=g)
    labels[1, 2:] = -100
    for beta in (0.0, 0.3, 0.9, 1.0):
        _check(
            submission,
            reference,
            s,
            t,
            labels,
            beta,
            1.0,
            Case("logits of magnitude 200", "logits 量级为 200"),
        )
        # Saturated probabilities: ways of computing the same gradient round differently, so
        # only a finite gradient is required here (the random cases compare it exactly).
        case = _case(
            s,
            labels,
            beta,
            1.0,
            Case("logits of magnitude 200, gradient", "logits 量级为 200，梯度"),
        )
        grad = submission.generalized_jsd.call(s, t, labels, beta, 1.0, grad_of=[0]).grads.get(0)
        if grad is None or not bool(torch.isfinite(grad).all()):
            fail(
                f"the gradient with respect to the student's logits is missing or has NaN/inf "
                f"on {case.en}",
                f"对学生 logits 的梯度缺失或含有 NaN/inf（{case.zh}）",
            )
