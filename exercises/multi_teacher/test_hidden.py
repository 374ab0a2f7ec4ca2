"""Hidden suite for multi_teacher: multi_teacher_targets(...) and multi_teacher_loss(...).

Inputs (a list of M teachers' logits, the student's logits, labels) are drawn from the fresh
``seeds`` of each grading; weights are drawn so that they do not sum to 1. Every comparison goes
through the checks of kdquiz.grading.suite, which never reveal expected values.

"No gradient to the teachers" is checked with grad_of paths into the list of teachers, e.g.
(1, 0) for the first teacher.
"""

from __future__ import annotations

import pytest
import torch

from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_raises,
    expect_tensor,
    fail,
    per_class_picture,
    seeded,
)

# float32 tolerances: targets are probabilities, the loss is O(0.1)-O(10).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-4


def _draw(
    seed: int,
    *,
    M: int | None = None,
    B: int | None = None,
    C: int | None = None,
    scale: float = 3.0,
) -> tuple[torch.Tensor, list[torch.Tensor], torch.Tensor]:
    """Random (student, [teacher_1, ..., teacher_M], labels)."""
    g = seeded(seed)
    if M is None:
        M = int(torch.randint(2, 5, (1,), generator=g))
    if B is None:
        B = int(torch.randint(2, 17, (1,), generator=g))
    if C is None:
        C = int(torch.randint(3, 11, (1,), generator=g))
    student = torch.randn(B, C, generator=g) * scale
    teachers = [torch.randn(B, C, generator=g) * scale for _ in range(M)]
    labels = torch.randint(0, C, (B,), generator=g)
    return student, teachers, labels


def _draw_weights(seed: int, M: int) -> list[float]:
    """Positive weights in [0.5, 3], rounded, summing to anything but 1."""
    g = seeded(seed + 2)
    weights = [round(0.5 + 2.5 * float(torch.rand(1, generator=g)), 2) for _ in range(M)]
    weights[0] += 1.0  # make them clearly unequal (and the sum clearly not 1)
    return weights


def _draw_t_alpha(seed: int) -> tuple[float, float]:
    g = seeded(seed + 1)
    T = (1.0, 2.0, 3.0, 4.0, 6.0)[int(torch.randint(0, 5, (1,), generator=g))]
    alpha = (0.2, 0.3, 0.7, 0.9)[int(torch.randint(0, 4, (1,), generator=g))]
    return T, alpha


def _case(teachers, T, alpha=None, weights=None, extra: Case | None = None) -> Case:
    B, C = teachers[0].shape if teachers else (0, 0)
    params = f"B={B}, C={C}, T={T:g}"
    if alpha is not None:
        params += f", alpha={alpha:g}"
    params += ", weights=None" if weights is None else f", weights={weights}"
    en = f"M={len(teachers)} teachers, {params}"
    zh = f"M={len(teachers)} 个教师，{params}"
    if extra is None:
        return Case(en, zh)
    return Case(f"{en}, {extra.en}", f"{zh}，{extra.zh}")


def _ref_targets(reference, teachers, T, weights) -> torch.Tensor:
    with torch.no_grad():
        return reference.multi_teacher_targets([t.clone() for t in teachers], T, weights)


def _ref_loss(reference, s, teachers, y, T, alpha, weights) -> torch.Tensor:
    with torch.no_grad():
        return reference.multi_teacher_loss(
            s.clone(), [t.clone() for t in teachers], y.clone(), T, alpha, weights
        )


# --- The soft target ----------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the target is a probability distribution per sample: each teacher's softmax(z / T) is "
    "one, and weights that sum to 1 keep their average one",
    zh="目标对每个样本都是概率分布：每个教师的 softmax(z / T) 是分布，权重之和为 1 才能让加权平均仍是分布",
    hint=2,
)
def test_targets_are_distributions(submission, seeds):
    """The targets are (B, C) probability distributions

    zh: 目标是 (B, C) 的概率分布
    """
    _, teachers, _ = _draw(seeds[0], M=3)
    weights = _draw_weights(seeds[0], 3)
    case = _case(teachers, 4.0, weights=weights)
    got = submission.multi_teacher_targets(teachers, 4.0, weights)
    expect_tensor(got, shape=tuple(teachers[0].shape), dtype=torch.float32, case=case)
    if bool((got < 0).any()):
        fail(f"the targets have negative entries on {case.en}", f"目标中有负数（{case.zh}）")
    expect_close(
        got.sum(dim=-1),
        torch.ones(got.shape[0]),
        atol=1e-5,
        rtol=0.0,
        case=case,
        what="the sum of each row",
        what_zh="每一行的和",
    )


@pytest.mark.feedback(
    en="average the teachers' probabilities softmax(z_m / T), not their logits: averaging logits "
    "gives a geometric mean of the probabilities, another distribution",
    zh="对各教师的概率 softmax(z_m / T) 求平均，而不是对 logits 求平均：对 logits 求平均得到的是概率的几何平均，是另一个分布",
    hint=1,
)
def test_targets_equal_weights(submission, reference, seeds):
    """With equal weights the target is the mean of the softened probabilities

    zh: 等权重时，目标是各教师软化后概率的平均
    """
    for seed in seeds:
        _, teachers, _ = _draw(seed)
        T, _ = _draw_t_alpha(seed)
        got = submission.multi_teacher_targets(teachers, T)
        want = _ref_targets(reference, teachers, T, None)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, T))


@pytest.mark.feedback(
    en="use the weights, divided by their sum: w_m / Σ w gives a weighted average that is "
    "still a distribution",
    zh="要用上权重，并除以它们的和：w_m / Σ w 得到的加权平均仍然是概率分布",
    hint=2,
)
def test_targets_weighted(submission, reference, seeds):
    """Weights are normalised and applied to the probabilities

    zh: 权重先归一化，再作用在概率上
    """
    for seed in seeds:
        _, teachers, _ = _draw(seed)
        T, _ = _draw_t_alpha(seed)
        weights = _draw_weights(seed, len(teachers))
        got = submission.multi_teacher_targets(teachers, T, weights)
        want = _ref_targets(reference, teachers, T, weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, T, weights=weights))


@pytest.mark.feedback(
    en="a teacher of weight 0 contributes nothing: the target is then the other teachers' "
    "weighted average",
    zh="权重为 0 的教师没有任何贡献：此时目标就是其余教师的加权平均",
    hint=2,
)
def test_zero_weight_drops_a_teacher(submission, reference, seeds):
    """A teacher of weight 0 is left out

    zh: 权重为 0 的教师被排除在外
    """
    _, teachers, _ = _draw(seeds[0], M=3)
    weights = [0.0, 2.0, 0.0]
    got = submission.multi_teacher_targets(teachers, 2.0, weights)
    want = _ref_targets(reference, teachers, 2.0, weights)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, 2.0, weights=weights))


@pytest.mark.feedback(
    en="weights may be Python ints, as in the statement's [3, 1]: an integer tensor cannot hold "
    "the normalised weights (w /= w.sum() on int64 fails)",
    zh="权重可能是 Python 整数，比如题目中的 [3, 1]：整数张量存不下归一化后的权重"
    "（对 int64 张量做 w /= w.sum() 会出错）",
    hint=2,
)
def test_integer_weights(submission, reference, seeds):
    """Integer weights such as [3, 1] work

    zh: 整数权重（如 [3, 1]）也能使用
    """
    # The statement's worked example, then random teachers with random integer weights.
    example = (
        torch.tensor([[1.0, 1.0, 0.0]]),
        [torch.tensor([[4.0, 0.0, 0.0]]), torch.tensor([[0.0, 4.0, 0.0]])],
        torch.tensor([0]),
    )
    cases = [(example, 2.0, 0.5, [3, 1])]
    s, teachers, y = _draw(seeds[0], M=3)
    T, alpha = _draw_t_alpha(seeds[0])
    g = seeded(seeds[0] + 3)
    weights = [int(w) for w in torch.randint(1, 6, (3,), generator=g)]
    weights[0] += 2  # clearly unequal
    cases.append(((s, teachers, y), T, alpha, weights))
    for (s, teachers, y), T, alpha, weights in cases:
        case = _case(teachers, T, alpha, weights)
        got = submission.multi_teacher_targets(teachers, T, weights)
        want = _ref_targets(reference, teachers, T, weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
        got = submission.multi_teacher_loss(s, teachers, y, T, alpha, weights)
        want = _ref_loss(reference, s, teachers, y, T, alpha, weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


# --- The loss -----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="loss = α·T²·KL(target ‖ softmax(s / T)) with 'batchmean' + (1 − α)·CE(s, y) on the raw "
    "student logits; the target is the weighted average of probabilities",
    zh="loss = α·T²·KL(target ‖ softmax(s / T))（batchmean）+ (1 − α)·CE(s, y)，交叉熵用原始的学生 logits；"
    "目标是概率的加权平均",
    hint=3,
)
def test_loss_matches(submission, reference, seeds):
    """The loss matches with equal weights

    zh: 等权重时损失一致
    """
    for seed in seeds:
        s, teachers, y = _draw(seed)
        T, alpha = _draw_t_alpha(seed)
        got = submission.multi_teacher_loss(s, teachers, y, T, alpha)
        want = _ref_loss(reference, s, teachers, y, T, alpha, None)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, T, alpha))


@pytest.mark.feedback(
    en="pass the weights on to the target, normalised to sum to 1",
    zh="把权重传给目标的计算，并归一化使其和为 1",
    hint=3,
)
def test_loss_weighted(submission, reference, seeds):
    """The loss matches with weights

    zh: 带权重时损失一致
    """
    for seed in seeds[:3]:
        s, teachers, y = _draw(seed)
        T, alpha = _draw_t_alpha(seed)
        weights = _draw_weights(seed, len(teachers))
        got = submission.multi_teacher_loss(s, teachers, y, T, alpha, weights)
        want = _ref_loss(reference, s, teachers, y, T, alpha, weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, T, alpha, weights))


@pytest.mark.feedback(
    en="with one teacher this is kd_loss: KL(teacher ‖ student) (the teacher is the target), "
    "scaled by T², averaged over the batch",
    zh="只有一个教师时它就是 kd_loss：以教师为目标的 KL(p_t ‖ p_s)，乘以 T²，并按批求平均",
    hint=3,
)
def test_single_teacher_is_kd_loss(submission, reference, seeds):
    """One teacher gives the ordinary distillation loss

    zh: 只有一个教师时就是普通的蒸馏损失
    """
    for seed, (T, alpha) in zip(seeds[:2], ((4.0, 0.9), (2.0, 1.0)), strict=True):
        s, teachers, y = _draw(seed, M=1)
        got = submission.multi_teacher_loss(s, teachers, y, T, alpha)
        want = _ref_loss(reference, s, teachers, y, T, alpha, None)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(teachers, T, alpha))


@pytest.mark.feedback(
    en="at T = 1, exp(100) overflows float32 and softmax(s) underflows to 0 for logits 200 apart "
    "(log 0 = -inf): use F.softmax and F.log_softmax, which subtract each row's maximum",
    zh="T = 1 时，exp(100) 会使 float32 溢出；logits 相差 200 时 softmax(s) 会下溢为 0（log 0 = -inf）："
    "请使用 F.softmax 和 F.log_softmax，它们会先减去每行的最大值",
    hint=3,
)
def test_large_logits(submission, reference, seeds):
    """The targets and the loss are right for logits of magnitude 100

    zh: logits 量级为 100 时，目标和损失仍然正确
    """
    student = torch.tensor([[100.0, -100.0, 0.0, 50.0], [-100.0, 100.0, 20.0, -50.0]])
    teacher = torch.tensor([[-100.0, 100.0, 0.0, 0.0], [100.0, -100.0, -30.0, 80.0]])
    labels = torch.tensor([1, 0])
    cases = [(student, [teacher], labels, 1.0), (student, [teacher, -teacher], labels, 1.0)]
    g = seeded(seeds[0])
    B, C = 4, 6
    s = (torch.rand(B, C, generator=g) * 2 - 1) * 100
    teachers = [(torch.rand(B, C, generator=g) * 2 - 1) * 100 for _ in range(2)]
    s[:, 0] = 100.0
    teachers[0][:, 1] = 100.0
    teachers[1][:, 2] = -100.0
    y = torch.randint(0, C, (B,), generator=g)
    cases += [(s, teachers, y, 1.0), (s, teachers, y, 2.0)]
    for s, teachers, y, T in cases:
        case = _case(teachers, T, 0.5, extra=Case("logits of magnitude 100", "logits 量级为 100"))
        got = submission.multi_teacher_targets(teachers, T)
        want = _ref_targets(reference, teachers, T, None)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
        got = submission.multi_teacher_loss(s, teachers, y, T, 0.5)
        want = _ref_loss(reference, s, teachers, y, T, 0.5, None)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="check the T² factor, the KL direction and 'batchmean'; the hard term uses the raw "
    "student logits",
    zh="检查 T² 因子、KL 方向和 batchmean；硬标签项用的是原始的学生 logits",
    hint=3,
)
def test_student_gradient(submission, reference, seeds):
    """The gradient with respect to the student's logits matches

    zh: 对学生 logits 的梯度一致
    """
    for seed in seeds[:3]:
        s, teachers, y = _draw(seed)
        T, alpha = _draw_t_alpha(seed)
        weights = _draw_weights(seed, len(teachers))
        case = _case(teachers, T, alpha, weights)
        result = submission.multi_teacher_loss.call(s, teachers, y, T, alpha, weights, grad_of=[0])
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"no gradient reached the student's logits on {case.en}",
                f"梯度没有传到学生的 logits（{case.zh}）",
            )
        s_ref = s.clone().requires_grad_(True)
        reference.multi_teacher_loss(
            s_ref, [t.clone() for t in teachers], y.clone(), T, alpha, weights
        ).backward()
        expect_close(
            grad,
            s_ref.grad,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="gradient",
            what_zh="梯度",
            picture=per_class_picture(
                *(
                    (Case(f"teacher {i} p", f"教师 {i} p"), torch.softmax(t.double() / T, dim=-1))
                    for i, t in enumerate(teachers[:2])
                ),
                what=Case("gradient", "梯度"),
            ),
        )


@pytest.mark.feedback(
    en="the teachers are fixed targets: detach their logits (or compute their soft targets under "
    "torch.no_grad())",
    zh="教师是固定的目标：对它们的 logits 调用 detach()（或在 torch.no_grad() 下计算软目标）",
    hint=3,
)
def test_no_gradient_to_the_teachers(submission, seeds):
    """No gradient flows into any teacher's logits

    zh: 梯度不会传到任何教师的 logits
    """
    s, teachers, y = _draw(seeds[0])
    T, alpha = _draw_t_alpha(seeds[0])
    paths = [(1, index) for index in range(len(teachers))]
    # Without and with weights: both paths must detach the teachers.
    for weights in (None, _draw_weights(seeds[0], len(teachers))):
        case = _case(teachers, T, alpha, weights)
        result = submission.multi_teacher_loss.call(
            s, teachers, y, T, alpha, weights, grad_of=[0, *paths]
        )
        for path in paths:
            grad = result.grads.get(path)
            if grad is not None and bool((grad != 0).any()):
                fail(
                    f"a gradient flowed into teacher {path[1]}'s logits on {case.en}",
                    f"梯度传到了第 {path[1]} 个教师的 logits（{case.zh}）",
                )


# --- The signature ------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="keep the defaults of the signature in the statement: callers leave out temperature, "
    "alpha and weights",
    zh="请保留题目给出的函数签名中的默认值：调用者可能不传 temperature、alpha 和 weights",
    hint=3,
)
def test_default_arguments(submission, reference, seeds):
    """Calls relying on the default arguments match

    zh: 使用默认参数的调用结果正确
    """
    s, teachers, y = _draw(seeds[0])
    case = _case(
        teachers,
        4.0,
        0.5,
        extra=Case("temperature, alpha and weights left out", "未传 temperature、alpha 和 weights"),
    )
    got = submission.multi_teacher_targets(teachers)
    want = _ref_targets(reference, teachers, 4.0, None)
    expect_close(
        got,
        want,
        atol=ATOL,
        rtol=RTOL,
        case=_case(teachers, 4.0, extra=Case("T and weights left out", "未传 T 和 weights")),
    )
    got = submission.multi_teacher_loss(s, teachers, y)
    want = _ref_loss(reference, s, teachers, y, 4.0, 0.5, None)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
    got = submission.multi_teacher_loss(s, teachers, y, 2.0)
    want = _ref_loss(reference, s, teachers, y, 2.0, 0.5, None)
    expect_close(
        got,
        want,
        atol=ATOL,
        rtol=RTOL,
        case=_case(teachers, 2.0, 0.5, extra=Case("alpha left out", "未传 alpha")),
    )


@pytest.mark.feedback(
    en="name the parameters as in the signature (temperature, alpha, weights): callers pass "
    "them by keyword",
    zh="参数名要与签名一致（temperature、alpha、weights）：调用者会以关键字参数的形式传入",
    hint=3,
)
def test_keyword_arguments(submission, reference, seeds):
    """Calls passing temperature, alpha and weights by keyword match

    zh: 以关键字传入 temperature、alpha 和 weights 的调用结果正确
    """
    s, teachers, y = _draw(seeds[0])
    T, alpha = _draw_t_alpha(seeds[0])
    weights = _draw_weights(seeds[0], len(teachers))
    case = _case(teachers, T, alpha, weights, extra=Case("keyword arguments", "以关键字传参"))
    got = submission.multi_teacher_targets(teachers, weights=weights, temperature=T)
    want = _ref_targets(reference, teachers, T, weights)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)
    got = submission.multi_teacher_loss(s, teachers, y, weights=weights, alpha=alpha, temperature=T)
    want = _ref_loss(reference, s, teachers, y, T, alpha, weights)
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


# --- Bad arguments ------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="check the list yourself and raise ValueError: torch.stack([]) raises a RuntimeError",
    zh="自己检查列表并抛出 ValueError：torch.stack([]) 抛出的是 RuntimeError",
    hint=4,
)
def test_empty_list_raises(submission, seeds):
    """An empty list of teachers raises ValueError

    zh: 教师列表为空时抛出 ValueError
    """
    s, _, y = _draw(seeds[0])
    expect_raises(
        submission.multi_teacher_targets, "ValueError", [], 4.0, case=Case("no teacher", "没有教师")
    )
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        s,
        [],
        y,
        4.0,
        0.5,
        case=Case("multi_teacher_loss with no teacher", "multi_teacher_loss，没有教师"),
    )


@pytest.mark.feedback(
    en="compare the shapes yourself and raise ValueError: every teacher's logits, and the "
    "student's, must have the same (B, C) shape",
    zh="自己比较形状并抛出 ValueError：每个教师的 logits 以及学生的 logits 都必须是同样的 (B, C) 形状",
    hint=4,
)
def test_mismatched_shapes_raise(submission, seeds):
    """Logits of different shapes raise ValueError

    zh: logits 形状不一致时抛出 ValueError
    """
    s, teachers, y = _draw(seeds[0], M=3, B=6, C=5)
    more_classes = [teachers[0], torch.randn(6, 7), teachers[2]]
    fewer_samples = [teachers[0], teachers[1], teachers[2][:4]]
    # A teacher with a batch of 1 would broadcast against the others without an error.
    batch_of_one = [teachers[0][:1], teachers[1], teachers[2]]
    expect_raises(
        submission.multi_teacher_targets,
        "ValueError",
        more_classes,
        4.0,
        case=Case("teachers with 5 and 7 classes", "教师分别有 5 个和 7 个类别"),
    )
    expect_raises(
        submission.multi_teacher_targets,
        "ValueError",
        fewer_samples,
        4.0,
        case=Case("teachers with batches of 6 and 4", "教师的批大小分别为 6 和 4"),
    )
    expect_raises(
        submission.multi_teacher_targets,
        "ValueError",
        batch_of_one,
        4.0,
        case=Case("teachers with batches of 1 and 6", "教师的批大小分别为 1 和 6"),
    )
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        s,
        batch_of_one,
        y,
        4.0,
        0.5,
        case=Case(
            "multi_teacher_loss, teachers with batches of 1 and 6",
            "multi_teacher_loss，教师的批大小分别为 1 和 6",
        ),
    )
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        s,
        more_classes,
        y,
        4.0,
        0.5,
        case=Case(
            "multi_teacher_loss, teachers with 5 and 7 classes",
            "multi_teacher_loss，教师分别有 5 个和 7 个类别",
        ),
    )
    wide_student = torch.randn(6, 6)
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        wide_student,
        teachers,
        y,
        4.0,
        0.5,
        case=Case("student with 6 classes, teachers with 5", "学生有 6 个类别，教师有 5 个"),
    )
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        s[:1],
        teachers,
        y[:1],
        4.0,
        0.5,
        case=Case(
            "student with a batch of 1, teachers with batches of 6",
            "学生的批大小为 1，教师的批大小为 6",
        ),
    )


@pytest.mark.feedback(
    en="weights must be one non-negative number per teacher, not all zero; check the count "
    "before zipping (zip silently drops the extra items)",
    zh="权重必须每个教师一个、非负且不能全为 0；在 zip 之前先检查个数（zip 会悄悄丢掉多出来的元素）",
    hint=4,
)
def test_bad_weights_raise(submission, seeds):
    """Bad weights raise ValueError

    zh: 权重不合法时抛出 ValueError
    """
    s, teachers, y = _draw(seeds[0], M=3, B=6, C=5)
    bad = (
        ([1.0, -0.5, 1.5], Case("a negative weight", "有一个权重为负")),
        ([0.0, 0.0, 0.0], Case("all weights zero", "权重全为 0")),
        ([1.0, 2.0], Case("2 weights for 3 teachers", "3 个教师却只有 2 个权重")),
        ([1.0, 2.0, 3.0, 4.0], Case("4 weights for 3 teachers", "3 个教师却有 4 个权重")),
        ([], Case("an empty list of weights (not None)", "权重是空列表（不是 None）")),
    )
    for weights, what in bad:
        expect_raises(
            submission.multi_teacher_targets, "ValueError", teachers, 4.0, weights, case=what
        )
    expect_raises(
        submission.multi_teacher_loss,
        "ValueError",
        s,
        teachers,
        y,
        4.0,
        0.5,
        [1.0, -0.5, 1.5],
        case=Case(
            "multi_teacher_loss with a negative weight", "multi_teacher_loss，有一个权重为负"
        ),
    )
