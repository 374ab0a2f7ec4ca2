"""
[en] Exercise: deepinversion_bn — DeepInversion's batch-norm statistics loss.
[zh] 练习：deepinversion_bn —— DeepInversion 的批归一化统计量损失。

[en] Fill in `bn_statistics_loss`. Run `kdquiz check deepinversion_bn` to grade it.
[zh] 实现 `bn_statistics_loss`。运行 `kdquiz check deepinversion_bn` 评分。
"""

from __future__ import annotations

import torch
from torch import nn


def bn_statistics_loss(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """
    [en] DeepInversion's feature-statistics loss of the images `x` under `model`.
    [zh] 图像 `x` 在 `model` 下的 DeepInversion 特征统计量损失。

    Args:
        [en] model: a trained network containing BatchNorm layers (1d and 2d). It may be handed
        [en]     over in train mode; it must be left in eval mode, with its weights and running
        [en]     statistics unchanged and no hook left on it, even if the forward raises.
        [zh] model：包含 BatchNorm 层（1d 和 2d）的训练好的网络。传入时可能处于训练模式；调用后它必须处于
        [zh]     eval 模式，权重和 running 统计量不变，并且不留下任何钩子，即使前向传播抛出异常。
        [en] x: the images being synthesised, (B, C, H, W) float32; the loss must be
        [en]     differentiable with respect to it.
        [zh] x：正在合成的图像，(B, C, H, W) float32；损失必须对它可微。

    Returns:
        [en] A 0-dim tensor: the sum over every BatchNorm layer of
        [en] ‖mean − running_mean‖₂ + ‖var − running_var‖₂, where mean and var (biased) are the
        [en] per-channel statistics of the layer's INPUT over every dimension but dim 1.
        [zh] 一个 0 维张量：对每个 BatchNorm 层求
        [zh] ‖mean − running_mean‖₂ + ‖var − running_var‖₂ 之和，其中 mean 和 var（有偏）是该层“输入”
        [zh] 在除第 1 维以外所有维度上按通道计算的统计量。
    """
    # [en] TODO: put the model in eval mode (the running statistics are the target).
    # [zh] TODO：把模型切到 eval 模式（running 统计量是目标）。
    # [en] TODO: a forward hook on every BatchNorm layer that records its term.
    # [zh] TODO：在每个 BatchNorm 层上注册前向钩子，记录该层的项。
    # [en] TODO: run the model on x, and remove every hook whatever happens (try/finally).
    # [zh] TODO：在 x 上运行模型，无论发生什么都要移除每个钩子（try/finally）。
    # [en] TODO: return the sum of the terms.
    # [zh] TODO：返回各项之和。
    raise NotImplementedError("bn_statistics_loss is not implemented yet")
