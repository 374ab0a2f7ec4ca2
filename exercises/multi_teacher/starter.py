"""
[en] Exercise: multi_teacher — distilling an ensemble of teachers into one student.
[zh] 练习：multi_teacher——把多个教师组成的集成蒸馏到一个学生里。

[en] Fill in `multi_teacher_targets` and `multi_teacher_loss`. Run `kdquiz check multi_teacher`
[en] to grade them.
[zh] 补全 `multi_teacher_targets` 和 `multi_teacher_loss`，然后运行 `kdquiz check multi_teacher` 评分。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
# [en] you will need it
# [zh] 你会用到它
import torch.nn.functional as F  # noqa: F401


def multi_teacher_targets(
    teacher_logits_list: Sequence[torch.Tensor],
    temperature: float = 4.0,
    weights: Sequence[float] | None = None,
) -> torch.Tensor:
    """
    [en] The ensemble's soft target: sum_m w_m * softmax(teacher_m / T), weights summing to 1.
    [zh] 集成的软目标：sum_m w_m * softmax(teacher_m / T)，权重之和为 1。

    [en] Args:
    [zh] 参数：
        teacher_logits_list:
            [en] M >= 1 tensors of logits, all of the same shape (B, C). Fixed targets: no
            [en] gradient may flow into them.
            [zh] M >= 1 个 logits 张量，形状都相同，为 (B, C)。它们是固定的目标：梯度不能传到它们。
        temperature:
            [en] T, applied to every teacher.
            [zh] 温度 T，每个教师都使用。
        weights:
            [en] M non-negative numbers, not all zero, normalised here to sum to 1.
            [en] None means equal weights.
            [zh] M 个非负数，不全为 0，在这里归一化为和为 1。None 表示等权重。

    [en] Returns:
    [zh] 返回：
        [en] A (B, C) tensor whose rows are probability distributions.
        [zh] (B, C) 张量，每一行都是概率分布。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: the list is empty, the teachers' shapes differ, or the weights are not M
        [en]     non-negative numbers with a positive sum.
        [zh] ValueError：列表为空、各教师的形状不同，或者权重不是 M 个和为正的非负数。
    """
    # [en] TODO: check the arguments (empty list, shapes, weights) and raise ValueError.
    # [zh] TODO：检查参数（空列表、形状、权重），不合法时抛出 ValueError。
    # [en] TODO: normalise the weights (equal weights when None).
    # [zh] TODO：归一化权重（None 时为等权重）。
    # [en] TODO: the weighted average of the teachers' softmax(z / T), the teachers detached.
    # [zh] TODO：各教师 softmax(z / T) 的加权平均，教师要 detach。
    raise NotImplementedError("multi_teacher_targets is not implemented yet")


def multi_teacher_loss(
    student_logits: torch.Tensor,
    teacher_logits_list: Sequence[torch.Tensor],
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
    weights: Sequence[float] | None = None,
) -> torch.Tensor:
    """
    [en] alpha * T^2 * KL(target ‖ softmax(student / T)) (batchmean) + (1 - alpha) * CE(student, y).
    [zh] alpha * T^2 * KL(target ‖ softmax(student / T))（batchmean）+ (1 - alpha) * CE(student, y)。

    [en] Args:
    [zh] 参数：
        student_logits:
            [en] (B, C) logits of the student.
            [zh] 学生的 (B, C) logits。
        teacher_logits_list:
            [en] M tensors of logits of shape (B, C), as in multi_teacher_targets.
            [zh] M 个形状为 (B, C) 的 logits 张量，与 multi_teacher_targets 相同。
        labels:
            [en] (B,) int64 class indices.
            [zh] (B,) 的 int64 类别下标。
        temperature:
            [en] T of the soft term (the hard term uses the raw logits).
            [zh] 软项的温度 T（硬项用原始 logits）。
        alpha:
            [en] weight of the soft term; 1 - alpha weighs the cross-entropy.
            [zh] 软项的权重；交叉熵的权重是 1 - alpha。
        weights:
            [en] the teachers' weights, as in multi_teacher_targets.
            [zh] 各教师的权重，与 multi_teacher_targets 相同。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor.
        [zh] 0 维张量。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: as multi_teacher_targets, or the student's shape differs from the teachers'.
        [zh] ValueError：与 multi_teacher_targets 相同，或者学生的形状与教师不同。
    """
    # [en] TODO: check that the student's logits have the teachers' shape.
    # [zh] TODO：检查学生 logits 的形状与教师相同。
    # [en] TODO: the soft term: KL(target ‖ softmax(student / T)) with "batchmean", times T².
    # [zh] TODO：软项：KL(target ‖ softmax(student / T))，用 "batchmean"，再乘以 T²。
    # [en] TODO: the hard term, and the weighted sum of the two.
    # [zh] TODO：硬项，以及两项的加权和。
    raise NotImplementedError("multi_teacher_loss is not implemented yet")
