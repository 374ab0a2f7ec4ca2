"""Hidden suite for soft_targets: softmax(logits / T) over the last dimension.

Inputs are drawn from the fresh ``seeds`` of each grading, plus fixed edge cases (T < 1, T = 20,
logits in the thousands, logits spread over ~200 at T = 20 and 50, float64 logits of magnitude
1e3-1e5, 1-D, 3-D and non-contiguous inputs, keyword arguments, T <= 0). Every comparison goes
through the checks of kdquiz.grading.suite, which never reveal expected values.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from kdquiz.grading.suite import (
    Case,
    expect_close,
    expect_raises,
    expect_tensor,
    per_class_picture,
    seeded,
)

# Probabilities are in [0, 1]; float32 softmax implementations agree to a few ulps.
ATOL, RTOL = 1e-6, 1e-5
# Logits in the thousands carry an absolute rounding error of ~1e-4 in float32 already, so
# correct implementations (max-shift, logsumexp) differ by up to ~1e-5 relative there.
LARGE_ATOL, LARGE_RTOL = 1e-5, 2e-4

TEMPERATURES = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0)


def _logits(seed: int, shape: tuple[int, ...] | None = None, scale: float = 3.0) -> torch.Tensor:
    """Random logits; a (B, C) shape is drawn too unless given."""
    g = seeded(seed)
    if shape is None:
        shape = (
            int(torch.randint(2, 9, (1,), generator=g)),
            int(torch.randint(3, 11, (1,), generator=g)),
        )
    return torch.randn(shape, generator=g) * scale


def _draw_t(seed: int) -> float:
    g = seeded(seed + 1)
    return TEMPERATURES[int(torch.randint(0, len(TEMPERATURES), (1,), generator=g))]


def _case(z: torch.Tensor, T: float, extra: str = "", extra_zh: str = "") -> Case:
    text = f"logits of shape {tuple(z.shape)}, T={T:g}"
    text_zh = f"logits 形状为 {tuple(z.shape)}，T={T:g}"
    if not extra:
        return Case(text, text_zh)
    return Case(f"{text}, {extra}", f"{text_zh}，{extra_zh or extra}")


def _want(reference: Any, z: torch.Tensor, T: float) -> torch.Tensor:
    return reference.soft_targets(z.clone(), T)


@pytest.mark.feedback(
    en="return the probabilities themselves: a tensor with one entry per logit, in the logits' "
    "dtype, and exactly the logits' shape (a batch of one stays a batch: do not squeeze it)",
    zh="直接返回概率：每个 logit 对应一个元素，数据类型与 logits 相同，形状也与 logits 完全一致"
    "（批大小为 1 时仍然是一个批次：不要把它压缩掉）",
    hint=1,
)
def test_shape_and_dtype(submission: Any, seeds: list[int]) -> None:
    """Returns a tensor of the logits' shape and dtype

    zh: 返回张量的形状和数据类型与 logits 相同
    """
    for seed, dtype in zip(seeds[:2], (torch.float32, torch.float64), strict=True):
        z = _logits(seed, (4, 6)).to(dtype)
        got = submission.soft_targets(z, 4.0)
        expect_tensor(got, shape=(4, 6), dtype=dtype, case=_case(z, 4.0, str(dtype)))
    # A batch of one, (1, C) and (1, L, C): the leading 1 must stay.
    for seed, shape in zip(seeds[2:], ((1, 6), (1, 3, 5)), strict=True):
        z = _logits(seed, shape)
        got = submission.soft_targets(z, 4.0)
        expect_tensor(
            got,
            shape=shape,
            dtype=torch.float32,
            case=_case(z, 4.0, "a batch of one", "批大小为 1"),
        )


@pytest.mark.feedback(
    en="normalise over the classes, the last dimension (dim=-1), and return probabilities, not "
    "log-probabilities, and do not rescale them afterwards",
    zh="在类别维（最后一维，dim=-1）上归一化；返回概率而不是对数概率，之后也不要再缩放",
    hint=1,
)
def test_rows_sum_to_one(submission: Any, seeds: list[int]) -> None:
    """Every row is a probability distribution over the last dimension

    zh: 每一行都是最后一维上的概率分布
    """
    z = _logits(seeds[0], (5, 7))
    T = _draw_t(seeds[0])
    got = submission.soft_targets(z, T)
    case = _case(z, T)
    expect_tensor(got, shape=(5, 7), dtype=torch.float32, case=case)
    expect_close(
        got.sum(dim=-1),
        torch.ones(5),
        atol=1e-5,
        rtol=0.0,
        case=case,
        what="the sum over the last dimension",
        what_zh="沿最后一维的和",
    )
    expect_close(
        got.clamp(max=0.0),
        torch.zeros(5, 7),
        atol=0.0,
        rtol=0.0,
        case=case,
        what="the sign of the probabilities (negative entries)",
        what_zh="概率的符号（出现了负数）",
    )


@pytest.mark.feedback(
    en="divide the logits by T before the softmax: softmax(z / T), not softmax(z) / T or "
    "softmax(z * T)",
    zh="在 softmax 之前把 logits 除以 T：softmax(z / T)，而不是 softmax(z) / T 或 softmax(z * T)",
    hint=1,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches softmax(z / T) on random logits and temperatures

    zh: 在随机的 logits 和温度下与 softmax(z / T) 一致
    """
    for seed in seeds:
        z = _logits(seed)
        T = _draw_t(seed)
        got = submission.soft_targets(z, T)
        expect_close(
            got,
            _want(reference, z, T),
            atol=ATOL,
            rtol=RTOL,
            case=_case(z, T),
            picture=per_class_picture(
                (Case("logits / T", "logits / T"), z / T),
                what=Case("soft target", "软目标"),
            ),
        )


@pytest.mark.feedback(
    en="T < 1 must sharpen the distribution and a large T flatten it: is T dividing the logits?",
    zh="T < 1 应使分布更尖锐，T 很大时应使分布更平：T 是用来除 logits 的吗？",
    hint=1,
)
def test_temperature_edges(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Correct at T = 0.5 (sharper) and T = 20 (flatter)

    zh: T = 0.5（更尖锐）和 T = 20（更平）时结果正确
    """
    for seed, T in zip(seeds[:2], (0.5, 20.0), strict=True):
        z = _logits(seed, (4, 5))
        got = submission.soft_targets(z, T)
        expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=_case(z, T))


@pytest.mark.feedback(
    en="exp(z) overflows to inf in float32 once z > 88: subtract each row's maximum before "
    "exponentiating (softmax does not change), or use torch.softmax",
    zh="float32 中 z > 88 时 exp(z) 会溢出为 inf：取指数前先减去每行的最大值（softmax 结果不变），"
    "或者直接用 torch.softmax",
    hint=2,
)
def test_large_logits_are_stable(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Stays finite and right for logits in the thousands

    zh: logits 达到上千时仍是有限且正确的值
    """
    for seed, T in zip(seeds[:2], (1.0, 4.0), strict=True):
        z = _logits(seed, (4, 6), scale=1000.0)
        got = submission.soft_targets(z, T)
        case = _case(z, T, "logits of magnitude ~1000", "logits 量级约为 1000")
        expect_close(got, _want(reference, z, T), atol=LARGE_ATOL, rtol=LARGE_RTOL, case=case)


@pytest.mark.feedback(
    en="at a high T, classes far below the maximum get a visible probability: T must divide the "
    "logits themselves; tempering softmax(z) afterwards (a power 1/T of the probabilities) starts "
    "from values that have already underflowed to 0",
    zh="T 很大时，远低于最大值的类别也会得到看得见的概率：必须先把 logits 除以 T；事后再对 softmax(z) 调温"
    "（对概率取 1/T 次幂）是从已经下溢为 0 的值出发的",
    hint=1,
)
def test_wide_spread_high_temperature(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Correct at T = 20 and T = 50 for logits spread over ~200

    zh: logits 跨度约 200 时，T = 20 和 T = 50 的结果正确
    """
    for seed, T in zip(seeds[:2], (20.0, 50.0), strict=True):
        z = _logits(seed, (4, 6), scale=30.0)
        # Every row gets one logit 200 below its maximum: exp(-200) underflows to 0 in float32,
        # but exp(-200 / T) is 4.5e-5 at T = 20 and 0.018 at T = 50.
        z[:, -1] = z.max(dim=-1).values - 200.0
        got = submission.soft_targets(z, T)
        case = _case(z, T, "logits spread over ~200", "logits 跨度约为 200")
        expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="float64 logits must stay float64 throughout: rounding logits in the thousands to float32 "
    "(.float(), or a float32 constant) already shifts them by ~1e-4 to 1e-2, which changes the "
    "probabilities",
    zh="float64 的 logits 要全程保持 float64：把上千量级的 logits 舍入成 float32（.float()，或与 float32 "
    "常量运算）本身就会让它们偏移约 1e-4 到 1e-2，概率也随之改变",
)
def test_float64_precision(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Keeps float64 precision for float64 logits of magnitude 1e3 to 1e5

    zh: 量级为 1e3 到 1e5 的 float64 logits 保持 float64 精度
    """
    for seed in seeds[:2]:
        g = seeded(seed + 2)
        # One row near each of -1e3, 1e4, -3e4 and 1e5 (times 0.5 to 1), spread ~3 within a row.
        offsets = torch.tensor([-1e3, 1e4, -3e4, 1e5], dtype=torch.float64)
        offsets = offsets * (0.5 + 0.5 * torch.rand(4, generator=g, dtype=torch.float64))
        z = offsets[:, None] + torch.randn(4, 6, generator=g, dtype=torch.float64) * 3.0
        T = _draw_t(seed)
        got = submission.soft_targets(z, T)
        case = _case(
            z, T, "float64 logits of magnitude 1e3 to 1e5", "量级为 1e3 到 1e5 的 float64 logits"
        )
        expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="the classes are always on the last dimension: use dim=-1, not dim=1 or dim=0",
    zh="类别总是在最后一维：用 dim=-1，而不是 dim=1 或 dim=0",
    hint=1,
)
def test_any_leading_dimensions(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for a single vector (C,) and for (B, L, C) sequences

    zh: 单个向量 (C,) 和 (B, L, C) 序列都能处理
    """
    for seed, shape in zip(seeds[:3], ((6,), (2, 3, 5), (3, 1, 2, 4)), strict=True):
        z = _logits(seed, shape)
        T = _draw_t(seed)
        got = submission.soft_targets(z, T)
        expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=_case(z, T))


@pytest.mark.feedback(
    en="logits can be a view that is not contiguous in memory (a transposed tensor): .view() "
    "cannot flatten those; normalise over dim=-1 directly, or use .reshape()",
    zh="logits 可能是内存中不连续的视图（例如转置后的张量）：.view() 无法把它展平；直接在 dim=-1 上"
    "归一化，或者用 .reshape()",
    hint=1,
)
def test_non_contiguous_logits(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Works for non-contiguous logits (a transposed (L, B, C) tensor)

    zh: 不连续的 logits（转置得到的 (L, B, C) 张量）也能处理
    """
    g = seeded(seeds[0] + 3)
    L = int(torch.randint(2, 5, (1,), generator=g))
    B = int(torch.randint(2, 5, (1,), generator=g))
    # Sequence-first (L, B, C) logits turned batch-first: (B, L, C), not contiguous.
    z = _logits(seeds[0], (L, B, 5)).transpose(0, 1)
    T = _draw_t(seeds[0])
    got = submission.soft_targets(z, T)
    case = _case(z, T, "a transposed, non-contiguous tensor", "转置得到的不连续张量")
    expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="name the parameters as the statement does, soft_targets(logits, temperature): callers "
    "pass them by keyword",
    zh="参数名要与题目一致，即 soft_targets(logits, temperature)：调用者会按关键字传参",
)
def test_keyword_arguments(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Accepts logits= and temperature= as keyword arguments

    zh: 接受以关键字传入的 logits= 和 temperature=
    """
    z = _logits(seeds[0])
    T = _draw_t(seeds[0])
    got = submission.soft_targets(logits=z, temperature=T)
    case = _case(
        z,
        T,
        "called as soft_targets(logits=..., temperature=...)",
        "以 soft_targets(logits=..., temperature=...) 调用",
    )
    expect_close(got, _want(reference, z, T), atol=ATOL, rtol=RTOL, case=case)


@pytest.mark.feedback(
    en="check the temperature first: T = 0 would divide by zero and give NaN instead of an error",
    zh="先检查温度：T = 0 会除以零，得到 NaN 而不是报错",
    hint=3,
)
def test_zero_temperature_raises(submission: Any, seeds: list[int]) -> None:
    """T = 0 raises ValueError

    zh: T = 0 时抛出 ValueError
    """
    z = _logits(seeds[0], (3, 4))
    expect_raises(submission.soft_targets, "ValueError", z, 0.0, case=_case(z, 0.0))


@pytest.mark.feedback(
    en="a negative T is not a temperature either (it would reverse the ranking of the classes): "
    "reject every T <= 0, not only T == 0",
    zh="负的 T 也不是温度（它会把类别的排序反过来）：要拒绝所有 T <= 0，而不只是 T == 0",
    hint=3,
)
def test_negative_temperature_raises(submission: Any, seeds: list[int]) -> None:
    """A negative T raises ValueError

    zh: T 为负时抛出 ValueError
    """
    z = _logits(seeds[0], (3, 4))
    for T in (-1.0, -0.5):
        expect_raises(submission.soft_targets, "ValueError", z, T, case=_case(z, T))
