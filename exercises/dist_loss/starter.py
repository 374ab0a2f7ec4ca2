"""
[en] Exercise: dist_loss — DIST, "Knowledge Distillation from A Stronger Teacher" (Huang et al., 2022).
[en]
[en] Instead of matching the teacher's probabilities exactly (KL), the student preserves the
[en] teacher's relations, measured by Pearson correlation of the softened predictions: across the
[en] classes of each sample (inter-class) and across the batch for each class (intra-class).
[en] Implement dist_loss below, then run `kdquiz check dist_loss`.
[zh] 练习：dist_loss —— DIST，《Knowledge Distillation from A Stronger Teacher》（Huang 等人，2022）。
[zh]
[zh] 学生不再精确匹配教师的概率（KL），而是保持教师的关系，用软化后预测之间的 Pearson 相关系数度量：
[zh] 每个样本在各类别上的关系（类间），以及每个类别在整个 batch 上的关系（类内）。
[zh] 实现下面的 dist_loss，然后运行 `kdquiz check dist_loss`。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401


def dist_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    beta: float = 1.0,
    gamma: float = 1.0,
    tau: float = 1.0,
) -> torch.Tensor:
    """
    [en] tau² · (beta · inter + gamma · intra), as the authors' DIST module computes it.
    [en]
    [en] Args:
    [en]     logits_student: (B, C) raw student scores (gradients flow into them).
    [en]     logits_teacher: (B, C) raw teacher scores: a fixed target, no gradient may reach them.
    [en]     beta: weight of the inter-class relation.
    [en]     gamma: weight of the intra-class relation.
    [en]     tau: temperature dividing both networks' logits before the softmax.
    [en]
    [en] Returns:
    [en]     A 0-dim tensor. With y = softmax(logits / tau) for each network and
    [en]     pearson(a, b) = (a − mean a)·(b − mean b) / (‖a − mean a‖ · ‖b − mean b‖ + 1e-8):
    [en]         inter = 1 − mean over the B rows    of pearson(row of y_s,    row of y_t)
    [en]         intra = 1 − mean over the C columns of pearson(column of y_s, column of y_t)
    [en]     Raises ValueError when the two inputs are not (B, C) tensors of the same shape.
    [zh] tau² · (beta · inter + gamma · intra)，与作者的 DIST 模块计算方式一致。
    [zh]
    [zh] 参数：
    [zh]     logits_student：(B, C)，学生的原始得分（梯度会传到这里）。
    [zh]     logits_teacher：(B, C)，教师的原始得分：固定的目标，不能有梯度传到它上面。
    [zh]     beta：类间关系的权重。
    [zh]     gamma：类内关系的权重。
    [zh]     tau：温度，两个网络的 logits 都要先除以它再做 softmax。
    [zh]
    [zh] 返回：
    [zh]     0 维张量。对每个网络记 y = softmax(logits / tau)，并记
    [zh]     pearson(a, b) = (a − mean a)·(b − mean b) / (‖a − mean a‖ · ‖b − mean b‖ + 1e-8)：
    [zh]         inter = 1 − 在 B 行上对 pearson(y_s 的行, y_t 的行) 取平均
    [zh]         intra = 1 − 在 C 列上对 pearson(y_s 的列, y_t 的列) 取平均
    [zh]     两个输入不是形状相同的 (B, C) 张量时抛出 ValueError。
    """
    # [en] TODO 1: check that both inputs are (B, C) with the same shape (ValueError otherwise).
    # [zh] TODO 1：检查两个输入都是形状相同的 (B, C)（否则抛出 ValueError）。
    # [en] TODO 2: softmax of logits / tau for both networks; detach the teacher.
    # [zh] TODO 2：两个网络都对 logits / tau 做 softmax；教师要 detach。
    # [en] TODO 3: a row-wise Pearson correlation (centre, then cosine with eps on the norms' product).
    # [zh] TODO 3：逐行的 Pearson 相关系数（先中心化，再求余弦，eps 加在范数乘积上）。
    # [en] TODO 4: inter on the (B, C) matrices, intra on their transposes; each 1 − mean.
    # [zh] TODO 4：inter 用 (B, C) 矩阵，intra 用它们的转置；每一项都是 1 − 平均值。
    # [en] TODO 5: return tau**2 * (beta * inter + gamma * intra).
    # [zh] TODO 5：返回 tau**2 * (beta * inter + gamma * intra)。
    raise NotImplementedError("dist_loss is not implemented yet")
