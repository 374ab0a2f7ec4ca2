"""
[en] Exercise: capstone_digits — distil a teacher into a small student on real handwritten digits.
[zh] 练习：capstone_digits —— 在真实手写数字上把教师蒸馏给小学生模型。

[en] Fill in `distill`. Run `kdquiz check capstone_digits` to grade it (about 10 s: it trains six
[en] students, and six label-only baselines to compare them with).
[zh] 实现 `distill`。运行 `kdquiz check capstone_digits` 评分（大约 10 秒：它要训练六个学生，
[zh] 以及用来比较的六个只用标签训练的基线）。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def distill(
    student: nn.Module,
    teacher: nn.Module,
    x_labelled: torch.Tensor,
    y_labelled: torch.Tensor,
    x_unlabelled: torch.Tensor,
    seed: int,
) -> None:
    """
    [en] Train `student` in place so that it classifies handwritten digits as well as it can.
    [zh] 原地训练 `student`，让它尽可能好地识别手写数字。

    Args:
        [en] student: a small MLP, (N, 64) -> (N, 10) logits, freshly initialised.
        [zh] student：一个小型 MLP，(N, 64) -> (N, 10) logits，刚初始化。
        [en] teacher: a trained MLP with BatchNorm (98.5 % test accuracy), same shapes; frozen.
        [en]     It may be handed over in train mode.
        [zh] teacher：训练好的带 BatchNorm 的 MLP（测试准确率 98.5%），形状相同；冻结。
        [zh]     传进来时可能处于训练模式。
        [en] x_labelled, y_labelled: 50 images (5 per digit), (50, 64) float32 pixels in [0, 1],
        [en]     and their labels, (50,) int64.
        [zh] x_labelled、y_labelled：50 张图像（每个数字 5 张），(50, 64) float32，像素值在 [0, 1]，
        [zh]     以及它们的标签，(50,) int64。
        [en] x_unlabelled: 1,150 more images without labels, (1150, 64) float32.
        [zh] x_unlabelled：另外 1150 张没有标签的图像，(1150, 64) float32。
        [en] seed: for your own randomness (torch.Generator().manual_seed(seed)).
        [zh] seed：用于你自己的随机性（torch.Generator().manual_seed(seed)）。

    Returns:
        [en] None. The grader reads the student's weights and tests them on held-out digits.
        [zh] None。评分程序读取学生的权重，在留出的数字上测试。
    """
    # [en] TODO: freeze the teacher and compute its soft targets on the unlabelled images, once.
    # [zh] TODO：冻结教师，在无标签图像上算一次它的软目标。
    # [en] TODO: train the student: a distillation term on the unlabelled images (and a little
    # [en]       cross-entropy on the labelled ones), an optimizer, a few hundred steps at most.
    # [zh] TODO：训练学生：在无标签图像上的蒸馏项（再加一点有标签图像上的交叉熵），一个优化器，
    # [zh]       最多几百步。
    raise NotImplementedError("distill is not implemented yet")
