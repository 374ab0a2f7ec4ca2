"""
[en] Exercise: attention_transfer — the attention-transfer loss (Zagoruyko & Komodakis, 2017).
[zh] 练习：attention_transfer——注意力迁移损失（Zagoruyko & Komodakis，2017）。

[en] Collapse each feature map over its channels into a spatial attention map, normalise it, and
[en] compare student and teacher maps.
[zh] 把每个特征图沿通道压缩成一张空间注意力图，归一化后比较学生和教师的注意力图。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def at_loss(f_s: torch.Tensor, f_t: torch.Tensor, p: float = 2) -> torch.Tensor:
    """
    [en] Attention-transfer loss between student and teacher features.
    [zh] 学生特征与教师特征之间的注意力迁移损失。

    [en] Args:
    [zh] 参数：
        f_s:
            [en] student features, shape (B, C_s, H_s, W_s); may be negative.
            [zh] 学生特征，形状 (B, C_s, H_s, W_s)；可能为负。
        f_t:
            [en] teacher features, shape (B, C_t, H_t, W_t); C_t may differ from C_s. A fixed
            [en] target: no gradient may flow into it.
            [zh] 教师特征，形状 (B, C_t, H_t, W_t)；C_t 可以与 C_s 不同。它是固定的目标：梯度不能传到它。
        p:
            [en] the power of the attention map (the map is the channel mean of |f|^p).
            [zh] 注意力图的幂次（注意力图是 |f|^p 在通道上的均值）。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor: the mean over all B * H * W entries of (Q_s - Q_t)^2, where Q is the
        [en] attention map flattened to (B, H * W) and L2-normalised per sample.
        [zh] 0 维张量：(Q_s - Q_t)^2 在全部 B * H * W 个元素上的均值，其中 Q 是展平成 (B, H * W)
        [zh] 并逐样本做 L2 归一化后的注意力图。
    """
    # [en] TODO: make sure no gradient can reach the teacher.
    # [zh] TODO：确保梯度不会传到教师。
    # [en] TODO: if the spatial sizes differ, adaptive-average-pool the larger *features* to the
    # [en]       smaller one's (H, W) (F.adaptive_avg_pool2d), before computing any map.
    # [zh] TODO：空间尺寸不同时，先用 F.adaptive_avg_pool2d 把较大一方的*特征*池化到较小一方的 (H, W)，
    # [zh]       然后再计算注意力图。
    # [en] TODO: attention map of each side: channel mean of |f|^p -> (B, H, W).
    # [zh] TODO：每一侧的注意力图：|f|^p 在通道上的均值 -> (B, H, W)。
    # [en] TODO: flatten to (B, H * W), then L2-normalise each row (mind all-zero maps).
    # [zh] TODO：展平成 (B, H * W)，再对每一行做 L2 归一化（注意全零的图）。
    # [en] TODO: return the mean of the squared differences.
    # [zh] TODO：返回差值平方的均值。
    raise NotImplementedError("at_loss is not implemented yet")
