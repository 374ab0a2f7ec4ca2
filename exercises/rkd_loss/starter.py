"""
[en] Exercise: rkd_loss — relational knowledge distillation (Park et al., CVPR 2019).
[zh] 练习：rkd_loss——关系知识蒸馏（Park 等人，CVPR 2019）。

[en] The student does not copy the teacher's embeddings; it copies their geometry: the distances
[en] between pairs of examples and the angles within triplets of examples of the batch.
[zh] 学生不照搬教师的嵌入，而是模仿它们的几何结构：批内样本两两之间的距离，以及三个样本构成的角度。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def rkd_loss(
    f_s: torch.Tensor,
    f_t: torch.Tensor,
    distance_weight: float = 25.0,
    angle_weight: float = 50.0,
) -> torch.Tensor:
    """
    [en] RKD loss: distance_weight * distance loss + angle_weight * angle loss.
    [zh] RKD 损失：distance_weight * 距离损失 + angle_weight * 角度损失。

    [en] Args:
    [zh] 参数：
        f_s:
            [en] student features, shape (B, ...); flattened per sample to (B, D_s).
            [zh] 学生特征，形状 (B, ...)；逐样本展平成 (B, D_s)。
        f_t:
            [en] teacher features, shape (B, ...); flattened to (B, D_t). D_t may differ from
            [en] D_s. A fixed target: no gradient may flow into it.
            [zh] 教师特征，形状 (B, ...)；展平成 (B, D_t)。D_t 可以与 D_s 不同。
            [zh] 它是固定的目标：梯度不能传到它。
        distance_weight:
            [en] weight of the distance-wise term.
            [zh] 距离项的权重。
        angle_weight:
            [en] weight of the angle-wise term.
            [zh] 角度项的权重。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor.
        [zh] 0 维张量。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: if the batch has fewer than 2 examples.
        [zh] ValueError：批中样本少于 2 个时。
    """
    # [en] TODO: raise ValueError for a batch of fewer than 2 examples.
    # [zh] TODO：批中样本少于 2 个时抛出 ValueError。
    # [en] TODO: flatten both to (B, D); the teacher's side without autograd.
    # [zh] TODO：两侧都展平成 (B, D)；教师一侧不参与自动求导。
    # [en] TODO: distance potential: (B, B) Euclidean distances (zero diagonal), divided by the mean
    # [en]       of the B(B-1) off-diagonal entries. Student vs teacher: F.smooth_l1_loss (mean over B*B).
    # [zh] TODO：距离势：(B, B) 的欧氏距离（对角线为零），除以 B(B-1) 个非对角元素的均值。
    # [zh]       学生与教师之间用 F.smooth_l1_loss 比较（在 B*B 个元素上求平均）。
    # [en] TODO: angle potential: for every (i, j, k), the cosine between the unit vectors e_j - e_i
    # [en]       and e_k - e_i (0 when a vector is zero) -> (B, B, B). F.smooth_l1_loss (mean over B^3).
    # [zh] TODO：角度势：对每个 (i, j, k)，单位向量 e_j - e_i 与 e_k - e_i 之间的余弦
    # [zh]       （有零向量时为 0）-> (B, B, B)。用 F.smooth_l1_loss（在 B^3 个元素上求平均）。
    # [en] TODO: return distance_weight * distance loss + angle_weight * angle loss.
    # [zh] TODO：返回 distance_weight * 距离损失 + angle_weight * 角度损失。
    raise NotImplementedError("rkd_loss is not implemented yet")
