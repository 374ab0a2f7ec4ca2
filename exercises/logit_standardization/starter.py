"""
[en] Exercise: logit_standardization — KD on z-scored logits (Sun et al., CVPR 2024).
[en]
[en] A temperature shared by teacher and student forces the student to match the teacher's logit
[en] range. Standardising each sample's logits (a z-score over the classes) before the softmax
[en] leaves only their relations to match. Implement both functions below, then run
[en] `kdquiz check logit_standardization`.
[zh] 练习：logit_standardization —— 在 z-score 后的 logits 上做 KD（Sun 等人，CVPR 2024）。
[zh]
[zh] 教师和学生共用同一个温度，会迫使学生去匹配教师 logits 的范围。在 softmax 之前对每个样本的 logits
[zh] 做标准化（在类别上做 z-score），需要匹配的就只剩它们之间的关系。实现下面两个函数，然后运行
[zh] `kdquiz check logit_standardization`。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401


def standardize_logits(logits: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """
    [en] Z-score over the last dimension, as the authors' `normalize`: (x − mean) / (eps + std).
    [en]
    [en] Args:
    [en]     logits: (..., C) float tensor.
    [en]     eps: added to the standard deviation (torch.std's default estimate).
    [en]
    [en] Returns:
    [en]     A tensor of the same shape; a row of equal logits gives zeros.
    [zh] 在最后一维上做 z-score，与作者的 `normalize` 相同：(x − mean) / (eps + std)。
    [zh]
    [zh] 参数：
    [zh]     logits：(..., C) 的浮点张量。
    [zh]     eps：加在标准差上（标准差按 torch.std 的默认方式估计）。
    [zh]
    [zh] 返回：
    [zh]     形状相同的张量；logits 全部相等的一行得到全 0。
    """
    # [en] TODO 1: the mean and the standard deviation of each row, over the last dimension.
    # [zh] TODO 1：每一行在最后一维上的均值和标准差。
    # [en] TODO 2: return (logits − mean) / (eps + std).
    # [zh] TODO 2：返回 (logits − mean) / (eps + std)。
    raise NotImplementedError("standardize_logits is not implemented yet")


def standardized_kd_loss(
    logits_student: torch.Tensor, logits_teacher: torch.Tensor, temperature: float = 2.0
) -> torch.Tensor:
    """
    [en] T² · KL(softmax(Z(teacher) / T) ‖ softmax(Z(student) / T)), Z = standardize_logits.
    [en]
    [en] Args:
    [en]     logits_student: (B, C) raw student scores (gradients flow into them).
    [en]     logits_teacher: (B, C) raw teacher scores: a fixed target, no gradient may reach them.
    [en]     temperature: the base temperature T, applied to the standardised logits.
    [en]
    [en] Returns:
    [en]     A 0-dim tensor: the KL summed over the classes, averaged over the batch, times T².
    [zh] T² · KL(softmax(Z(教师) / T) ‖ softmax(Z(学生) / T))，其中 Z = standardize_logits。
    [zh]
    [zh] 参数：
    [zh]     logits_student：(B, C)，学生的原始得分（梯度会传到这里）。
    [zh]     logits_teacher：(B, C)，教师的原始得分：固定的目标，不能有梯度传到它上面。
    [zh]     temperature：基础温度 T，作用在标准化之后的 logits 上。
    [zh]
    [zh] 返回：
    [zh]     0 维张量：KL 对类别求和、对 batch 求平均，再乘以 T²。
    """
    # [en] TODO 3: standardise both networks' logits; detach the teacher's.
    # [zh] TODO 3：对两个网络的 logits 做标准化；教师的要 detach。
    # [en] TODO 4: the student's log-probabilities and the teacher's probabilities at T.
    # [zh] TODO 4：温度 T 下学生的对数概率和教师的概率。
    # [en] TODO 5: KL(teacher ‖ student), summed over the classes, averaged over the batch, × T².
    # [zh] TODO 5：KL(教师 ‖ 学生)，对类别求和、对 batch 求平均，再乘以 T²。
    raise NotImplementedError("standardized_kd_loss is not implemented yet")
