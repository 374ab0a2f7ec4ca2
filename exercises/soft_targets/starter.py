"""
[en] Exercise: soft_targets — the teacher's softened probabilities.
[zh] 练习：soft_targets——教师软化后的概率。

[en] Knowledge distillation starts here: instead of the one-hot label, the student learns from the
[en] teacher's probabilities at a temperature T > 1, which makes the small probabilities of the wrong
[en] classes (the "dark knowledge") large enough to matter.
[zh] 知识蒸馏从这里开始：学生不再只学 one-hot 标签，而是学习教师在温度 T > 1 下的概率；
[zh] 温度让错误类别上那些很小的概率（即“暗知识”）变得大到足以起作用。
"""

from __future__ import annotations

import torch


def soft_targets(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """
    [en] The softmax of `logits / temperature` over the last dimension.
    [zh] `logits / temperature` 在最后一维上的 softmax。

    [en] Args:
    [zh] 参数：
        logits:
            [en] raw scores of shape (..., C): the classes are on the last dimension, with any
            [en] number of leading dimensions (a single vector (C,), a batch (B, C), a sequence
            [en] batch (B, L, C), ...).
            [zh] 形状为 (..., C) 的原始得分：类别在最后一维，前面可以有任意多维
            [zh] （单个向量 (C,)、一个批 (B, C)、一批序列 (B, L, C)……）。
        temperature:
            [en] T > 0. T = 1 is the ordinary softmax, T > 1 flattens the distribution,
            [en] T < 1 sharpens it.
            [zh] T > 0。T = 1 就是普通的 softmax，T > 1 使分布变平，T < 1 使分布变尖。

    [en] Returns:
    [zh] 返回：
        [en] A tensor of the same shape and dtype as `logits`, non-negative, summing to 1 along the
        [en] last dimension. It must stay finite for logits in the thousands.
        [zh] 形状和数据类型都与 `logits` 相同的张量，非负，沿最后一维求和为 1。
        [zh] logits 达到上千时也必须是有限值。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: if `temperature` is not positive.
        [zh] ValueError：`temperature` 不是正数时。
    """
    # [en] TODO: reject a temperature that is not positive (raise ValueError).
    # [zh] TODO：拒绝不是正数的温度（抛出 ValueError）。
    # [en] TODO: divide the logits (not the probabilities) by the temperature.
    # [zh] TODO：把 logits（而不是概率）除以温度。
    # [en] TODO: softmax over the last dimension, without overflowing for large logits.
    # [zh] TODO：在最后一维上做 softmax，logits 很大时也不能溢出。
    raise NotImplementedError("soft_targets is not implemented yet")
