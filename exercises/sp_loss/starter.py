"""
[en] Exercise: sp_loss — similarity-preserving knowledge distillation (Tung & Mori, 2019).
[zh] 练习：sp_loss——相似性保持知识蒸馏（Tung & Mori，2019）。

[en] The student reproduces the teacher's pairwise similarities between the examples of a batch,
[en] not the teacher's features themselves.
[zh] 学生要复现的是教师眼中一个批内样本两两之间的相似度，而不是教师的特征本身。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sp_loss(f_s: torch.Tensor, f_t: torch.Tensor) -> torch.Tensor:
    """
    [en] Similarity-preserving loss ||G_t - G_s||_F^2 / B^2.
    [zh] 相似性保持损失 ||G_t - G_s||_F^2 / B^2。

    [en] Args:
    [zh] 参数：
        f_s:
            [en] student features, shape (B, ...) (for example (B, C_s, H_s, W_s) or (B, D_s)).
            [zh] 学生特征，形状 (B, ...)（例如 (B, C_s, H_s, W_s) 或 (B, D_s)）。
        f_t:
            [en] teacher features, shape (B, ...); only B has to match f_s. A fixed target: no
            [en] gradient may flow into it.
            [zh] 教师特征，形状 (B, ...)；只有 B 必须与 f_s 相同。它是固定的目标：梯度不能传到它。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim tensor.
        [zh] 0 维张量。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: if f_s and f_t have different batch sizes.
        [zh] ValueError：f_s 和 f_t 的批大小不同时。
    """
    # [en] TODO: raise ValueError if the batch sizes differ.
    # [zh] TODO：批大小不同时抛出 ValueError。
    # [en] TODO: flatten each side to (B, D) and build its (B, B) Gram matrix f f^T.
    # [zh] TODO：把每一侧展平成 (B, D)，构造 (B, B) 的 Gram 矩阵 f f^T。
    # [en] TODO: L2-normalise every row of each Gram matrix (all-zero rows must stay zero).
    # [zh] TODO：对每个 Gram 矩阵的每一行做 L2 归一化（全零的行必须保持为零）。
    # [en] TODO: squared Frobenius norm of G_t - G_s, divided by B^2; no gradient to the teacher.
    # [zh] TODO：G_t - G_s 的 Frobenius 范数的平方，除以 B^2；梯度不能传到教师。
    raise NotImplementedError("sp_loss is not implemented yet")
