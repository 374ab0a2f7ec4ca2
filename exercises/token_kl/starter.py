"""
[en] Exercise: token_kl — the masked token-level KL of language-model distillation.
[zh] 练习：token_kl——语言模型蒸馏中带掩码的 token 级 KL。

[en] Fill in `token_kl_loss`. Run `kdquiz check token_kl` to grade it.
[zh] 补全 `token_kl_loss`，然后运行 `kdquiz check token_kl` 评分。
"""

from __future__ import annotations

import torch
# [en] you will need it
# [zh] 你会用到它
import torch.nn.functional as F  # noqa: F401


def token_kl_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    mask: torch.Tensor,
    temperature: float = 1.0,
    reverse: bool = False,
) -> torch.Tensor:
    """
    [en] Per-token KL between teacher and student, averaged over the real (unmasked) tokens.
    [zh] 教师与学生之间逐 token 的 KL，在真实（未被遮住的）token 上求平均。

    [en] Args:
    [zh] 参数：
        student_logits:
            [en] (B, L, V) logits of the student language model.
            [zh] 学生语言模型的 (B, L, V) logits。
        teacher_logits:
            [en] (B, L, V) logits of the teacher, at the same positions. A fixed target:
            [en] no gradient may flow into it.
            [zh] 教师在相同位置上的 (B, L, V) logits。它是固定的目标：梯度不能传到它。
        mask:
            [en] (B, L) bool, True for the positions that count (real tokens), False for padding.
            [zh] (B, L) 的 bool 张量，要计入的位置（真实 token）为 True，填充为 False。
        temperature:
            [en] T; both distributions are softmax(logits / T). No T² factor.
            [zh] 温度 T；两个分布都是 softmax(logits / T)。没有 T² 因子。
        reverse:
            [en] False for the forward KL(p_teacher ‖ q_student), True for the reverse
            [en] KL(q_student ‖ p_teacher).
            [zh] False 表示前向 KL(p_teacher ‖ q_student)，True 表示反向 KL(q_student ‖ p_teacher)。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor: the KL summed over the vocabulary at each kept position, averaged over
        [en] the kept positions of the whole batch. 0 (still attached to the graph, no NaN) when no
        [en] position is kept.
        [zh] 0 维张量：在每个保留的位置上对词表求和得到 KL，再在整个批所有保留的位置上求平均。
        [zh] 没有保留任何位置时为 0（仍连在计算图上，不能是 NaN）。
    """
    # [en] TODO: log-probabilities of the student and of the (detached) teacher at temperature T,
    # [en]       computed stably.
    # [zh] TODO：以数值稳定的方式计算温度 T 下学生和（detach 后的）教师的对数概率。
    # [en] TODO: the KL at every position, summed over the vocabulary -> shape (B, L); the direction
    # [en]       depends on `reverse`.
    # [zh] TODO：每个位置上的 KL，对词表求和 -> 形状 (B, L)；方向由 `reverse` 决定。
    # [en] TODO: the mean over the positions where mask is True; a fully masked batch gives 0.
    # [zh] TODO：在 mask 为 True 的位置上求平均；全部被遮住的批结果为 0。
    raise NotImplementedError("token_kl_loss is not implemented yet")
