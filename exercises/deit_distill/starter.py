"""
[en] Exercise: deit_distill — DeiT's distillation loss (Touvron et al., 2021; facebookresearch/deit).
[en]
[en] A DeiT student has a class token trained on the labels and a distillation token trained on a
[en] teacher, either on its top class ('hard') or on its softened distribution ('soft').
[en] Implement deit_distillation_loss below, then run `kdquiz check deit_distill`.
[zh] 练习：deit_distill —— DeiT 的蒸馏损失（Touvron 等人，2021；facebookresearch/deit）。
[zh]
[zh] DeiT 学生有一个用标签训练的 class token，以及一个用教师训练的蒸馏 token：或者学教师的最大类（'hard'），
[zh] 或者学教师软化后的分布（'soft'）。
[zh] 实现下面的 deit_distillation_loss，然后运行 `kdquiz check deit_distill`。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401


def deit_distillation_loss(
    class_logits: torch.Tensor,
    dist_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    distillation_type: str = "hard",
    alpha: float = 0.5,
    tau: float = 1.0,
) -> torch.Tensor:
    """
    [en] DeiT's DistillationLoss: base · (1 − alpha) + distillation · alpha.
    [en]
    [en] Args:
    [en]     class_logits: (B, C) logits of the class token (gradients flow into them).
    [en]     dist_logits: (B, C) logits of the distillation token (gradients flow into them).
    [en]     teacher_logits: (B, C) the teacher's logits: a fixed target, no gradient may reach them.
    [en]     labels: (B,) int64 ground-truth classes, for the class token.
    [en]     distillation_type: 'none', 'soft' or 'hard'; anything else raises ValueError.
    [en]     alpha: weight of the distillation term (the base term gets 1 − alpha).
    [en]     tau: temperature of the soft mode.
    [en]
    [en] Returns:
    [en]     A 0-dim tensor. base = cross_entropy(class_logits, labels);
    [en]     'none' returns base alone; 'hard' uses cross_entropy(dist_logits, teacher's argmax);
    [en]     'soft' uses KL(teacher ‖ student) at tau, summed, × tau², divided by B·C.
    [zh] DeiT 的 DistillationLoss：base · (1 − alpha) + distillation · alpha。
    [zh]
    [zh] 参数：
    [zh]     class_logits：(B, C)，class token 的 logits（梯度会传到这里）。
    [zh]     dist_logits：(B, C)，蒸馏 token 的 logits（梯度会传到这里）。
    [zh]     teacher_logits：(B, C)，教师的 logits：固定的目标，不能有梯度传到它上面。
    [zh]     labels：(B,) int64，真实类别，给 class token 用。
    [zh]     distillation_type：'none'、'soft' 或 'hard'；其他取值抛出 ValueError。
    [zh]     alpha：蒸馏项的权重（基础项的权重为 1 − alpha）。
    [zh]     tau：软蒸馏的温度。
    [zh]
    [zh] 返回：
    [zh]     0 维张量。base = cross_entropy(class_logits, labels)；
    [zh]     'none' 只返回 base；'hard' 使用 cross_entropy(dist_logits, 教师的 argmax)；
    [zh]     'soft' 使用温度 tau 下的 KL(教师 ‖ 学生)，求和，乘以 tau²，再除以 B·C。
    """
    # [en] TODO 1: reject an unknown distillation_type with ValueError.
    # [zh] TODO 1：distillation_type 未知时抛出 ValueError。
    # [en] TODO 2: the base loss on the class token; return it as it is for 'none'.
    # [zh] TODO 2：class token 上的基础损失；'none' 时原样返回。
    # [en] TODO 3: the distillation term on the distillation token (teacher detached), per mode.
    # [zh] TODO 3：按模式计算蒸馏 token 上的蒸馏项（教师要 detach）。
    # [en] TODO 4: return base * (1 - alpha) + distillation * alpha.
    # [zh] TODO 4：返回 base * (1 - alpha) + distillation * alpha。
    raise NotImplementedError("deit_distillation_loss is not implemented yet")
