"""
[en] Exercise: fitnet_hint — the FitNets hint loss (Romero et al., 2015).
[zh] 练习：fitnet_hint——FitNets 的提示损失（Romero 等人，2015）。

[en] A thin student cannot match a wide teacher's hidden features directly: their channel counts
[en] differ. FitNets puts a small trainable regressor on the student's side, maps the student's
[en] feature (the "guided layer") into the teacher's feature space, and regresses it onto the teacher's
[en] feature (the "hint") with a squared error.
[zh] 窄的学生无法直接拟合宽的教师的隐藏特征：两者的通道数不同。FitNets 在学生一侧加一个
[zh] 可训练的小回归器，把学生的特征（“被引导层”）映射到教师的特征空间，再用平方误差
[zh] 让它回归到教师的特征（“提示”）上。
"""

from __future__ import annotations

import torch
# [en] you will probably want it
# [zh] 你大概会用到它
import torch.nn.functional as F  # noqa: F401
from torch import nn


def hint_loss(
    student_feat: torch.Tensor, teacher_feat: torch.Tensor, regressor: nn.Module
) -> torch.Tensor:
    """
    [en] The mean squared error between `regressor(student_feat)` and `teacher_feat`.
    [zh] `regressor(student_feat)` 与 `teacher_feat` 之间的均方误差。

    [en] Args:
    [zh] 参数：
        student_feat:
            [en] the student's feature, (B, C_s, H, W) for a convolutional layer or (B, D_s)
            [en] for a fully connected one. Gradients flow into it.
            [zh] 学生特征：卷积层为 (B, C_s, H, W)，全连接层为 (B, D_s)。梯度会传到它。
        teacher_feat:
            [en] the teacher's feature (the hint), (B, C_t, H, W) or (B, D_t): a fixed
            [en] target, no gradient may reach it.
            [zh] 教师特征（提示），(B, C_t, H, W) 或 (B, D_t)：固定的目标，梯度不能传到它。
        regressor:
            [en] a trainable module (a 1x1 convolution or a linear layer) mapping the student's
            [en] feature to the teacher's shape. It must receive gradients.
            [zh] 可训练的模块（1x1 卷积或线性层），把学生特征映射成教师特征的形状。它必须得到梯度。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor: the squared error averaged over every element (B * C_t * H * W).
        [zh] 0 维张量：平方误差在所有元素（B * C_t * H * W 个）上的平均。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: if `regressor(student_feat)` and `teacher_feat` do not have the same shape.
        [zh] ValueError：`regressor(student_feat)` 与 `teacher_feat` 的形状不同时。
    """
    # [en] TODO: map the student's feature into the teacher's space with the regressor.
    # [zh] TODO：用回归器把学生特征映射到教师的特征空间。
    # [en] TODO: make the teacher's feature a fixed target (no gradient).
    # [zh] TODO：让教师特征成为固定的目标（没有梯度）。
    # [en] TODO: refuse mismatched shapes with a ValueError (do not let broadcasting hide them).
    # [zh] TODO：形状不一致时抛出 ValueError（不要让广播把问题掩盖掉）。
    # [en] TODO: return the mean squared error over all elements.
    # [zh] TODO：返回在所有元素上求平均的均方误差。
    raise NotImplementedError("hint_loss is not implemented yet")
