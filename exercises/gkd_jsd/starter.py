"""
[en] Exercise: gkd_jsd — the generalized Jensen-Shannon divergence of GKD, as TRL computes it.
[zh] 练习：gkd_jsd——GKD 的广义 Jensen-Shannon 散度，按 TRL 的算法计算。

[en] Fill in `generalized_jsd`. Run `kdquiz check gkd_jsd` to grade it.
[zh] 补全 `generalized_jsd`，然后运行 `kdquiz check gkd_jsd` 评分。
"""

from __future__ import annotations

import torch
# [en] you will need it
# [zh] 你会用到它
import torch.nn.functional as F  # noqa: F401


def generalized_jsd(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor | None = None,
    beta: float = 0.5,
    temperature: float = 1.0,
) -> torch.Tensor:
    """
    [en] GKD's JSD(beta) between teacher p and student q, with TRL's conventions.
    [zh] 教师 p 与学生 q 之间 GKD 的 JSD(beta)，遵循 TRL 的约定。

    [en] Per token, with p = softmax(teacher / T), q = softmax(student / T) and
    [en] M = beta * p + (1 - beta) * q:
    [zh] 对每个 token，记 p = softmax(teacher / T)，q = softmax(student / T)，
    [zh] M = beta * p + (1 - beta) * q：

        JSD(beta) = beta * KL(p ‖ M) + (1 - beta) * KL(q ‖ M)      (sum over V)

    [en] except that beta == 0 is the forward KL(p ‖ q) and beta == 1 the reverse KL(q ‖ p).
    [zh] 但 beta == 0 时是前向 KL(p ‖ q)，beta == 1 时是反向 KL(q ‖ p)。

    [en] Args:
    [zh] 参数：
        student_logits:
            [en] (B, L, V) logits of the student.
            [zh] 学生的 (B, L, V) logits。
        teacher_logits:
            [en] (B, L, V) logits of the teacher at the same positions.
            [zh] 教师在相同位置上的 (B, L, V) logits。
        labels:
            [en] (B, L) int64 or None. Positions whose label is -100 are dropped.
            [zh] (B, L) 的 int64 或 None。标签为 -100 的位置被去掉。
        beta:
            [en] the teacher's weight in the mixture, in [0, 1].
            [zh] 教师在混合分布中的权重，取值在 [0, 1]。
        temperature:
            [en] T, applied to both models. No T² factor.
            [zh] 温度 T，两个模型都使用。没有 T² 因子。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor. With labels: the sum over the kept tokens divided by their number.
        [en] Without labels: the sum over every position divided by the batch size B.
        [zh] 0 维张量。有 labels 时：保留的 token 上的总和除以它们的个数。
        [zh] 没有 labels 时：所有位置上的总和除以批大小 B。
    """
    # [en] TODO: log-probabilities of both models at temperature T.
    # [zh] TODO：两个模型在温度 T 下的对数概率。
    # [en] TODO: beta == 0 and beta == 1: the two KL divergences, pointwise (shape (B, L, V)).
    # [zh] TODO：beta == 0 和 beta == 1：两个 KL 散度，逐元素计算（形状 (B, L, V)）。
    # [en] TODO: otherwise: log M in log space (torch.logsumexp over the two shifted log-probabilities),
    # [en]       then beta * KL(p ‖ M) + (1 - beta) * KL(q ‖ M), pointwise.
    # [zh] TODO：其他情况：在对数空间里算 log M（对两个平移后的对数概率用 torch.logsumexp），
    # [zh]       再逐元素计算 beta * KL(p ‖ M) + (1 - beta) * KL(q ‖ M)。
    # [en] TODO: the reduction: drop label == -100 and divide by the kept count, or divide by B.
    # [zh] TODO：归约：去掉 label == -100 的位置并除以保留的个数，或者除以 B。
    raise NotImplementedError("generalized_jsd is not implemented yet")
