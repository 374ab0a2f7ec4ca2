"""
[en] Exercise: contrastive_kd — contrastive representation distillation with in-batch negatives.
[en]
[en] CRD (Tian et al., 2020) without its memory bank: the student's and the teacher's embeddings of
[en] the same input are a positive pair, the other inputs of the batch are negatives, and an InfoNCE
[en] loss in both directions teaches the student to recognise the teacher's representation.
[en] Implement contrastive_kd_loss below, then run `kdquiz check contrastive_kd`.
[zh] 练习：contrastive_kd —— batch 内负样本的对比表示蒸馏。
[zh]
[zh] 去掉记忆库的 CRD（Tian 等人，2020）：同一个输入的学生嵌入和教师嵌入构成正样本对，batch 中的其他输入是负样本，
[zh] 双向的 InfoNCE 损失教学生认出教师的表示。
[zh] 实现下面的 contrastive_kd_loss，然后运行 `kdquiz check contrastive_kd`。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def contrastive_kd_loss(
    feat_student: torch.Tensor,
    feat_teacher: torch.Tensor,
    embed_student: nn.Module,
    embed_teacher: nn.Module,
    temperature: float = 0.07,
) -> torch.Tensor:
    """
    [en] InfoNCE with the student as anchor + InfoNCE with the teacher as anchor (CRD's two parts).
    [en]
    [en] Args:
    [en]     feat_student: (B, D_s) student features (gradients flow into them).
    [en]     feat_teacher: (B, D_t) teacher features: the teacher is frozen, no gradient may reach them.
    [en]     embed_student: the student's projection head, (B, D_s) -> (B, D); it trains.
    [en]     embed_teacher: the teacher's projection head, (B, D_t) -> (B, D); it trains too.
    [en]     temperature: divides the cosine similarities.
    [en]
    [en] Returns:
    [en]     A 0-dim tensor. With s_i, t_j the L2-normalised embeddings and
    [en]     l_ij = s_i · t_j / temperature, the mean over i of −log softmax_j(l_ij)[j = i]
    [en]     plus the mean over j of −log softmax_i(l_ij)[i = j].
    [en]     Raises ValueError when the two batch sizes differ.
    [zh] 以学生为锚点的 InfoNCE + 以教师为锚点的 InfoNCE（CRD 的两个部分）。
    [zh]
    [zh] 参数：
    [zh]     feat_student：(B, D_s)，学生特征（梯度会传到这里）。
    [zh]     feat_teacher：(B, D_t)，教师特征：教师是冻结的，不能有梯度传到它上面。
    [zh]     embed_student：学生的投影头，(B, D_s) -> (B, D)；它要训练。
    [zh]     embed_teacher：教师的投影头，(B, D_t) -> (B, D)；它也要训练。
    [zh]     temperature：余弦相似度要除以它。
    [zh]
    [zh] 返回：
    [zh]     0 维张量。记 s_i、t_j 为 L2 归一化后的嵌入，l_ij = s_i · t_j / temperature，结果为
    [zh]     对 i 求平均的 −log softmax_j(l_ij)[j = i]，加上对 j 求平均的 −log softmax_i(l_ij)[i = j]。
    [zh]     两侧 batch 大小不同时抛出 ValueError。
    """
    # [en] TODO 1: check that both sides have the same batch size (ValueError otherwise).
    # [zh] TODO 1：检查两侧的 batch 大小相同（否则抛出 ValueError）。
    # [en] TODO 2: project each side with its own head (detach the teacher's features first).
    # [zh] TODO 2：每一侧用自己的投影头投影（先把教师特征 detach）。
    # [en] TODO 3: L2-normalise every embedding; the (B, B) similarities divided by the temperature.
    # [zh] TODO 3：每个嵌入做 L2 归一化；(B, B) 的相似度矩阵除以温度。
    # [en] TODO 4: cross-entropy with the positives on the diagonal, over the rows and over the columns.
    # [zh] TODO 4：正样本在对角线上的交叉熵，按行一次、按列一次。
    # [en] TODO 5: return the sum of the two.
    # [zh] TODO 5：返回两者之和。
    raise NotImplementedError("contrastive_kd_loss is not implemented yet")
