"""Hidden suite for fusion: fuse_average (soft, weighted probability averaging) and fuse_vote
(hard, weighted majority voting), including their argument checks.

Inputs are drawn from the fresh ``seeds`` of each grading, plus fixed edge cases. Every
comparison goes through the checks of kdquiz.grading.suite, which never reveal expected values.
"""

from __future__ import annotations

import pytest
import torch

from kdquiz.grading.suite import Case, expect_close, expect_raises, seeded

# float32 probabilities in [0, 1]
ATOL, RTOL = 1e-6, 1e-4


def _models(
    seed: int, M: int | None = None, B: int | None = None, C: int | None = None, scale: float = 3.0
) -> list[torch.Tensor]:
    """M random (B, C) logits tensors; M, B and C are drawn too unless given."""
    g = seeded(seed)
    if M is None:
        M = int(torch.randint(2, 5, (1,), generator=g))
    if B is None:
        B = int(torch.randint(1, 9, (1,), generator=g))
    if C is None:
        C = int(torch.randint(2, 7, (1,), generator=g))
    return [torch.randn(B, C, generator=g) * scale for _ in range(M)]


def _positive_weights(seed: int, M: int) -> list[float]:
    """M weights in [0.5, 5] (step 0.25), never all equal, whose sum is not 1."""
    g = seeded(seed + 1)
    w = [0.5 + 0.25 * int(torch.randint(0, 19, (1,), generator=g)) for _ in range(M)]
    if len(set(w)) == 1:
        w[0] += 1.0
    return w


def _unit_weights(seed: int, M: int) -> list[float]:
    """M positive multiples of 1/16 that sum to exactly 1 (so normalising changes nothing)."""
    g = seeded(seed + 2)
    cuts = sorted(int(c) + 1 for c in torch.randperm(15, generator=g)[: M - 1])
    bounds = [0, *cuts, 16]
    return [(hi - lo) / 16 for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def _case(logits: list[torch.Tensor], *more: Case, **extra) -> Case:
    B, C = logits[0].shape
    params = ", ".join([f"B={B}", f"C={C}"] + [f"{k}={v}" for k, v in extra.items()])
    en = ", ".join([f"M={len(logits)} models", params, *(m.en for m in more)])
    zh = "，".join([f"M={len(logits)} 个模型", params, *(m.zh for m in more)])
    return Case(en, zh)


_MAGNITUDE_100 = Case("logits of magnitude 100", "logits 量级为 100")
_FAR_ROWS = Case(
    "two close large logits in a row, rows far below the batch's maximum",
    "同一行有两个接近的大 logit，有些行远低于整个批的最大值",
)
_RANDOM_250 = Case("random logits of magnitude up to 250", "随机 logits，量级最大为 250")


def _stack(*rows_per_model: list[list[float]]) -> list[torch.Tensor]:
    return [torch.tensor(rows, dtype=torch.float32) for rows in rows_per_model]


# --- fuse_average --------------------------------------------------------------------------


@pytest.mark.feedback(
    en="average each model's softmax probabilities (not its logits), each with weight 1/M",
    zh="应对每个模型的 softmax 概率（而不是 logits）求平均，每个模型的权重为 1/M",
    hint=1,
)
def test_average_equal_weights(submission, reference, seeds):
    """fuse_average with equal weights matches the reference

    zh: 等权重时 fuse_average 与参考实现一致
    """
    for index, seed in enumerate(seeds):
        logits = _models(seed, B=1 if index == 0 else None)  # always one batch of 1
        got = submission.fuse_average(logits)
        want = reference.fuse_average(logits)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(logits, weights="None", T=1))


@pytest.mark.feedback(
    en="divide the weights by their sum before averaging, so the result is a distribution",
    zh="求平均前先把权重除以它们的和，这样结果才是一个概率分布",
    hint=2,
)
def test_average_normalises_weights(submission, reference, seeds):
    """fuse_average normalises the weights to sum to 1

    zh: fuse_average 把权重归一化为和为 1
    """
    cases = [(_stack([[2.0, 1.0, 0.0]], [[0.0, 2.0, 1.0]], [[1.0, 0.0, 3.0]]), [2.0, 1.0, 1.0])]
    for seed in seeds[:3]:
        logits = _models(seed)
        cases.append((logits, _positive_weights(seed, len(logits))))
    for logits, weights in cases:
        got = submission.fuse_average(logits, weights=weights)
        want = reference.fuse_average(logits, weights=weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(logits, weights=weights, T=1))


@pytest.mark.feedback(
    en="soften each model with softmax(logits / T) before averaging",
    zh="求平均之前，先对每个模型计算 softmax(logits / T)",
    hint=1,
)
def test_average_temperature(submission, reference, seeds):
    """fuse_average applies the temperature to every model

    zh: fuse_average 对每个模型都使用温度
    """
    g = seeded(seeds[0] + 2)
    drawn = 1.5 + 0.5 * int(torch.randint(0, 14, (1,), generator=g))
    for seed, T in zip(seeds[:3], (drawn, 20.0, 0.5), strict=True):
        logits = _models(seed)
        weights = _unit_weights(seed, len(logits))  # already sum to 1: tests T alone
        got = submission.fuse_average(logits, weights=weights, temperature=T)
        want = reference.fuse_average(logits, weights=weights, temperature=T)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(logits, weights=weights, T=T))


@pytest.mark.feedback(
    en="exp(100) overflows float32, clamping the logits changes the probabilities, and one "
    "maximum for the whole tensor leaves some rows as 0 / 0: each row needs its own maximum "
    "(torch.softmax does that)",
    zh="exp(100) 会使 float32 溢出；把 logits 截断会改变概率；对整个张量只减一个最大值，会让某些行变成 0 / 0："
    "每一行都要减去自己的最大值（torch.softmax 就是这样做的）",
    hint=3,
)
def test_average_large_logits(submission, reference, seeds):
    """fuse_average is correct and finite for logits of magnitude 100

    zh: logits 量级为 100 时 fuse_average 仍正确且有限
    """
    fixed = _stack(
        [[100.0, -100.0, 0.0], [-100.0, 100.0, 50.0]],
        [[0.0, 100.0, -100.0], [100.0, 100.0, -100.0]],
    )
    # Two close large logits in a row (100 and 90), and rows whose largest logit (0, -120) is
    # far below the largest of the whole batch.
    far_rows = _stack(
        [[100.0, 90.0, 0.0], [0.0, -150.0, -200.0]],
        [[0.0, 0.0, 0.0], [-200.0, -120.0, -250.0]],
    )
    g = seeded(seeds[0])
    rand = [(torch.rand(4, 5, generator=g) * 2 - 1) * 100 for _ in range(3)]
    for r in rand:
        r[0, 0] = 100.0  # one large positive logit in the batch
        r[1:2] -= 150.0  # a row whose maximum is at most -50
        r[2, 1:3] = 90.0 + 10.0 * torch.rand(2, generator=g)  # two close large logits
    cases = (
        (fixed, 1.0, _MAGNITUDE_100),
        (far_rows, 1.0, _FAR_ROWS),
        (far_rows, 2.0, _FAR_ROWS),
        (rand, 1.0, _RANDOM_250),
        (rand, 0.5, _RANDOM_250),
    )
    for logits, T, what in cases:
        got = submission.fuse_average(logits, temperature=T)
        want = reference.fuse_average(logits, temperature=T)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(logits, what, T=T))


@pytest.mark.feedback(
    en="weights may be Python ints, as in the statement's [3, 1]: an integer tensor cannot "
    "hold the normalised weights (w /= w.sum() on int64 fails)",
    zh="权重可能是 Python 整数，比如题目中的 [3, 1]：整数张量存不下归一化后的权重"
    "（对 int64 张量做 w /= w.sum() 会出错）",
    hint=2,
)
def test_integer_weights(submission, reference, seeds):
    """both functions accept integer weights such as [3, 1]

    zh: 两个函数都接受整数权重，如 [3, 1]
    """
    # The statement's worked example.
    example = _stack([[2.0, 1.0, 0.0], [0.0, 1.0, 3.0]], [[0.0, 2.0, 1.0], [1.0, 0.0, 0.0]])
    cases = [(example, [3, 1]), (example, [1, 3])]
    logits = _models(seeds[0], M=3)
    g = seeded(seeds[0] + 4)
    # Distinct powers of two: no two groups of models have the same total weight.
    cases.append((logits, [2 ** int(i) for i in torch.randperm(3, generator=g)]))
    for logits, weights in cases:
        got = submission.fuse_average(logits, weights=weights)
        want = reference.fuse_average(logits, weights=weights)
        expect_close(got, want, atol=ATOL, rtol=RTOL, case=_case(logits, weights=weights, T=1))
        got = submission.fuse_vote(logits, weights=weights)
        want = reference.fuse_vote(logits, weights=weights)
        expect_close(got, want, case=_case(logits, Case("fuse_vote", "fuse_vote"), weights=weights))


# --- fuse_vote -----------------------------------------------------------------------------


@pytest.mark.feedback(
    en="each model votes for its argmax class; the class with the most votes wins, ties going "
    "to the lowest class index",
    zh="每个模型投票给自己 argmax 的类别，票数最多的类别胜出，平票时取索引最小的类别",
    hint=1,
)
def test_vote_equal_weights(submission, reference, seeds):
    """fuse_vote with equal weights matches the reference

    zh: 等权重时 fuse_vote 与参考实现一致
    """
    for index, seed in enumerate(seeds):
        logits = _models(seed, M=3 + index % 3)
        got = submission.fuse_vote(logits)
        want = reference.fuse_vote(logits)
        expect_close(got, want, case=_case(logits, weights="None"))


@pytest.mark.feedback(
    en="a model's vote counts its weight, not 1",
    zh="每个模型的一票应按它的权重计，而不是都算 1",
    hint=3,
)
def test_vote_weighted(submission, reference, seeds):
    """fuse_vote weights each model's vote

    zh: fuse_vote 按权重计票
    """
    # Two light models agree on class 0; one heavy model says class 2 and must win.
    fixed = _stack([[3.0, 0.0, 1.0]], [[2.0, 1.0, 0.0]], [[0.0, 1.0, 4.0]])
    cases = [(fixed, [1.0, 1.0, 3.0])]
    for seed in seeds[:3]:
        logits = _models(seed, M=3, C=3)
        # Distinct powers of two: no two groups of models have the same total weight.
        g = seeded(seed + 3)
        weights = [float(2 ** int(i)) for i in torch.randperm(3, generator=g)]
        cases.append((logits, weights))
    for logits, weights in cases:
        got = submission.fuse_vote(logits, weights=weights)
        want = reference.fuse_vote(logits, weights=weights)
        expect_close(got, want, case=_case(logits, weights=weights))


@pytest.mark.feedback(
    en="on a tie, return the lowest class index among the tied classes (torch.argmax returns "
    "the first maximum), whatever the order of the models",
    zh="票数相同时返回并列类别中索引最小的那个（torch.argmax 返回第一个最大值），与模型的顺序无关",
    hint=3,
)
def test_vote_ties(submission, reference):
    """fuse_vote breaks ties towards the lowest class index

    zh: fuse_vote 平票时取索引最小的类别
    """
    two = _stack(
        [[0.0, 0.0, 5.0, 0.0], [0.0, 0.0, 0.0, 5.0], [0.0, 5.0, 0.0, 0.0]],
        [[5.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0]],
    )  # votes per sample: (2, 0), (3, 1), (1, 1)
    four = _stack(
        [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]],
        [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]],
        [[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]],
        [[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]],
    )  # votes per sample: (3, 3, 1, 1), (2, 2, 0, 0)
    # weights 1, 1, 2: classes 0 and 2 both get 2 (the plain count would also pick class 0)
    weighted = _stack([[1.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]])
    # integer weights 3, 1, 4: class 1 gets 3 + 1, class 0 gets 4 (the plain count picks class 1);
    # the sums are exact in floating point, normalised or not
    weighted_ints = _stack([[0.0, 1.0, 0.0]], [[0.0, 1.0, 0.0]], [[1.0, 0.0, 0.0]])
    cases = ((two, None), (four, None), (weighted, [1.0, 1.0, 2.0]), (weighted_ints, [3, 1, 4]))
    for logits, weights in cases:
        got = submission.fuse_vote(logits, weights=weights)
        want = reference.fuse_vote(logits, weights=weights)
        expect_close(
            got, want, case=_case(logits, Case("tied votes", "票数相同"), weights=weights or "None")
        )


@pytest.mark.feedback(
    en="a tie means exactly equal totals: a class whose total weight is larger, even by a tiny "
    "amount, wins; do not compare the totals with a tolerance",
    zh="平票指总权重完全相等：某个类别的总权重哪怕只大一点点，也应胜出；不要带容差地比较总权重",
    hint=3,
)
def test_vote_near_tie(submission, reference):
    """fuse_vote lets a slightly heavier class win (ties are exact)

    zh: fuse_vote 让稍重一点的类别胜出（只有完全相等才算平票）
    """
    # 1 + 2**-20 is exact in float32 and float64, and so are the sums below.
    eps = 2.0**-20
    two = _stack([[1.0, 0.0]], [[0.0, 1.0]])  # votes: class 0, class 1
    three = _stack([[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])  # votes: 0, 2, 0
    cases = ((two, [1.0, 1.0 + eps]), (three, [1.0, 2.0 + eps, 1.0]))
    for logits, weights in cases:
        got = submission.fuse_vote(logits, weights=weights)
        want = reference.fuse_vote(logits, weights=weights)
        case = _case(
            logits, Case("totals that differ by 2**-20", "总票数相差 2**-20"), weights=weights
        )
        expect_close(got, want, case=case)


@pytest.mark.feedback(
    en="hard voting takes each model's argmax first and counts votes; it does not average "
    "probabilities",
    zh="硬投票先取每个模型的 argmax 再计票，而不是对概率求平均",
    hint=1,
)
def test_vote_is_hard(submission, reference):
    """fuse_vote counts predicted classes, not probabilities

    zh: fuse_vote 统计预测的类别，而不是概率
    """
    # One very confident model for class 0 against two mild models for class 1.
    logits = _stack([[6.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]], [[0.0, 1.0, 0.0]])
    got = submission.fuse_vote(logits)
    want = reference.fuse_vote(logits)
    expect_close(
        got,
        want,
        case=_case(logits, Case("one confident model", "其中一个模型非常自信"), weights="None"),
    )


# --- argument checks -----------------------------------------------------------------------


@pytest.mark.feedback(
    en="check the list and the shapes yourself and raise ValueError (torch.stack would raise "
    "RuntimeError)",
    zh="请自己检查列表和形状并抛出 ValueError（torch.stack 抛出的是 RuntimeError）",
    hint=2,
)
def test_rejects_bad_logits(submission):
    """both functions raise ValueError for an empty list or mismatched shapes

    zh: 列表为空或形状不一致时，两个函数都抛出 ValueError
    """
    a = torch.zeros(2, 3)
    bad = [
        ([], Case("an empty list", "空列表")),
        ([a, torch.zeros(2, 4)], Case("shapes (2, 3) and (2, 4)", "形状 (2, 3) 和 (2, 4)")),
        (
            [a, a, torch.zeros(3, 3)],
            Case("shapes (2, 3), (2, 3) and (3, 3)", "形状 (2, 3)、(2, 3) 和 (3, 3)"),
        ),
        # a batch of 1 would broadcast against a batch of 2 without an error
        ([torch.zeros(1, 3), a], Case("shapes (1, 3) and (2, 3)", "形状 (1, 3) 和 (2, 3)")),
        ([a, torch.zeros(1, 3)], Case("shapes (2, 3) and (1, 3)", "形状 (2, 3) 和 (1, 3)")),
    ]
    for name in ("fuse_average", "fuse_vote"):
        for logits, what in bad:
            expect_raises(
                getattr(submission, name),
                "ValueError",
                logits,
                case=Case(f"{name} with {what.en}", f"{name}，{what.zh}"),
            )


@pytest.mark.feedback(
    en="check the weights before using them: one per model, none negative, not all zero",
    zh="使用权重之前先检查：每个模型一个权重、没有负数、不能全为 0",
    hint=2,
)
def test_rejects_bad_weights(submission):
    """both functions raise ValueError for negative, all-zero or wrongly sized weights

    zh: 权重为负、全为 0 或个数不对时，两个函数都抛出 ValueError
    """
    logits = _stack([[1.0, 0.0, 2.0]], [[0.0, 3.0, 1.0]])
    bad = [
        ([1.0, -0.5], Case("a negative weight", "有一个权重为负")),
        ([0.0, 0.0], Case("all-zero weights", "权重全为 0")),
        ([1.0, 1.0, 1.0], Case("3 weights for 2 models", "2 个模型却有 3 个权重")),
        ([1.0], Case("1 weight for 2 models", "2 个模型却只有 1 个权重")),
        ([], Case("an empty list of weights (not None)", "权重是空列表（不是 None）")),
    ]
    for name in ("fuse_average", "fuse_vote"):
        for weights, what in bad:
            expect_raises(
                getattr(submission, name),
                "ValueError",
                logits,
                weights=weights,
                case=Case(f"{name} with {what.en}", f"{name}，{what.zh}"),
            )
