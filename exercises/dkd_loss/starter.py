"""
[en] Exercise: dkd_loss — Decoupled Knowledge Distillation (Zhao et al., CVPR 2022).
[zh] 练习：dkd_loss——解耦知识蒸馏（Zhao 等人，CVPR 2022）。

[en] Classic KD's KL splits into a target-class term (TCKD) and a non-target term (NCKD) whose weight
[en] 1 - p_t^T shrinks exactly when the teacher is confident. DKD gives the two terms their own weights:
[en] alpha * TCKD + beta * NCKD. Match the authors' conventions (megvii-research/mdistiller), but
[en] compute in log space so that saturated logits do not produce NaN gradients.
[zh] 经典 KD 的 KL 可以拆成目标类项（TCKD）和非目标类项（NCKD），而 NCKD 的权重 1 - p_t^T
[zh] 恰恰在教师很自信时变小。DKD 让两项各自取权重：alpha * TCKD + beta * NCKD。
[zh] 遵循作者代码（megvii-research/mdistiller）的约定，但要在对数空间里计算，
[zh] 这样饱和的 logits 也不会产生 NaN 梯度。
"""

from __future__ import annotations

import torch
# [en] you will probably want it
# [zh] 你大概会用到它
import torch.nn.functional as F  # noqa: F401


def dkd_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """
    [en] alpha * TCKD + beta * NCKD, as mdistiller's dkd_loss computes it, but in log space.
    [zh] alpha * TCKD + beta * NCKD，与 mdistiller 的 dkd_loss 算法相同，但在对数空间里计算。

    [en] Args:
    [zh] 参数：
        logits_student:
            [en] (B, C) raw student scores (gradients flow into them).
            [zh] (B, C) 的学生原始得分（梯度会传到这里）。
        logits_teacher:
            [en] (B, C) raw teacher scores: a fixed target, no gradient may reach them.
            [zh] (B, C) 的教师原始得分：固定的目标，梯度不能传到它。
        target:
            [en] (B,) int64 class indices, the ground-truth labels.
            [zh] (B,) 的 int64 类别下标，即真实标签。
        alpha:
            [en] weight of TCKD.
            [zh] TCKD 的权重。
        beta:
            [en] weight of NCKD.
            [zh] NCKD 的权重。
        temperature:
            [en] T, dividing both networks' logits.
            [zh] 温度 T，两个网络的 logits 都要除以它。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor. With b = [p_target, 1 - p_target] and p_hat = the softmax over the
        [en] non-target classes only (target masked out), at temperature T:
        [zh] 0 维张量。记 b = [p_target, 1 - p_target]，p_hat 为只在非目标类别上做的 softmax
        [zh] （目标类被遮住），都在温度 T 下计算：
            TCKD = sum_rows KL(b_teacher || b_student)         * T^2 / B
            NCKD = sum_rows KL(p_hat_teacher || p_hat_student) * T^2 / B
        [en] It and its gradient must stay finite when the softmax saturates (logits of ±50 at T = 1).
        [zh] softmax 饱和时（T = 1、logits 为 ±50），损失和它的梯度都必须是有限值。
    """
    # [en] TODO: divide both networks' logits by T; detach the teacher's.
    # [zh] TODO：两个网络的 logits 都除以 T；教师的要 detach。
    # [en] TODO: build the (B, C) boolean mask of the target class from `target`.
    # [zh] TODO：由 `target` 构造目标类的 (B, C) 布尔掩码。
    # [en] TODO: log b for each network: [log p_target, log(1 - p_target)], from logsumexps of the
    # [en]       logits (not torch.log of probabilities).
    # [zh] TODO：每个网络的 log b：[log p_target, log(1 - p_target)]，由 logits 的 logsumexp 得到
    # [zh]       （不要对概率调用 torch.log）。
    # [en] TODO: log p_hat for each network: a log-softmax over the non-target classes only.
    # [zh] TODO：每个网络的 log p_hat：只在非目标类别上做 log-softmax。
    # [en] TODO: TCKD and NCKD: KL(teacher || student), summed, times T^2, divided by B.
    # [zh] TODO：TCKD 和 NCKD：以教师为目标的 KL(teacher || student)，求和，乘以 T^2，再除以 B。
    # [en] TODO: return alpha * TCKD + beta * NCKD.
    # [zh] TODO：返回 alpha * TCKD + beta * NCKD。
    raise NotImplementedError("dkd_loss is not implemented yet")
