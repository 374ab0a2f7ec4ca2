"""
[en] fusion: combine several models' predictions by weighted averaging or by voting.
[zh] fusion：用加权平均或投票把多个模型的预测融合起来。

[en] Implement fuse_average and fuse_vote below, then run `kdquiz check fusion`.
[zh] 实现下面的 fuse_average 和 fuse_vote，然后运行 `kdquiz check fusion`。
"""

import torch


def fuse_average(logits_list, weights=None, temperature=1.0):
    """
    [en] Soft fusion: the weighted average of every model's softmax(logits / temperature).
    [zh] 软融合：各模型 softmax(logits / temperature) 的加权平均。

    [en] Args:
    [zh] 参数：
        logits_list:
            [en] a non-empty list of M float tensors, all of the same shape (B, C).
            [zh] 由 M 个浮点张量组成的非空列表，形状都相同，为 (B, C)。
        weights:
            [en] None (every model counts the same) or a list of M non-negative numbers,
            [en] not all zero; they are normalised to sum to 1.
            [zh] None（所有模型同等重要），或由 M 个非负数组成、且不全为 0 的列表；
            [zh] 它们会被归一化为和为 1。
        temperature:
            [en] T > 0; each model's logits are divided by T before its softmax.
            [zh] T > 0；每个模型的 logits 在 softmax 之前先除以 T。

    [en] Returns:
    [zh] 返回：
        [en] A float32 tensor of shape (B, C) whose rows are probability distributions.
        [zh] 形状为 (B, C) 的 float32 张量，每一行都是概率分布。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: empty list, mismatched shapes, or bad weights (wrong number,
        [en]     negative, or all zero).
        [zh] ValueError：列表为空、形状不一致，或权重不合法（个数不对、为负或全为 0）。
    """
    # [en] TODO 1: validate logits_list and weights (raise ValueError with a clear message).
    # [zh] TODO 1：检查 logits_list 和 weights（抛出带清楚说明的 ValueError）。
    # [en] TODO 2: normalise the weights so they sum to 1 (None = equal weights).
    # [zh] TODO 2：把权重归一化为和为 1（None 表示等权重）。
    # [en] TODO 3: softmax(logits / T) for every model, then the weighted sum over models.
    # [zh] TODO 3：对每个模型计算 softmax(logits / T)，再对模型加权求和。
    raise NotImplementedError("fuse_average is not implemented yet")


def fuse_vote(logits_list, weights=None):
    """
    [en] Hard fusion: a weighted majority vote of every model's predicted class.
    [zh] 硬融合：对各模型预测的类别做加权多数投票。

    [en] Each model votes, with its weight, for the argmax class of each sample; the class with
    [en] the largest total wins, ties going to the lowest class index.
    [zh] 每个模型以自己的权重为每个样本的 argmax 类别投一票；总票数最多的类别胜出，
    [zh] 平票时取索引最小的类别。

    [en] Args:
    [zh] 参数：
        logits_list:
            [en] a non-empty list of M float tensors, all of the same shape (B, C).
            [zh] 由 M 个浮点张量组成的非空列表，形状都相同，为 (B, C)。
        weights:
            [en] None (one vote per model) or a list of M non-negative numbers, not all zero.
            [zh] None（每个模型一票），或由 M 个非负数组成、且不全为 0 的列表。

    [en] Returns:
    [zh] 返回：
        [en] An int64 tensor of shape (B,) with the winning class of each sample.
        [zh] 形状为 (B,) 的 int64 张量，即每个样本胜出的类别。

    [en] Raises:
    [zh] 异常：
        [en] ValueError: empty list, mismatched shapes, or bad weights (wrong number,
        [en]     negative, or all zero).
        [zh] ValueError：列表为空、形状不一致，或权重不合法（个数不对、为负或全为 0）。
    """
    # [en] TODO 1: validate the arguments as in fuse_average (a shared helper is a good idea).
    # [zh] TODO 1：像 fuse_average 一样检查参数（写一个共用的辅助函数是个好主意）。
    # [en] TODO 2: each model's predicted class per sample.
    # [zh] TODO 2：每个模型对每个样本预测的类别。
    # [en] TODO 3: add up the weights of the votes per class; pick the best class (ties -> lowest).
    # [zh] TODO 3：按类别累加投票的权重；选出得分最高的类别（平票取最小的索引）。
    raise NotImplementedError("fuse_vote is not implemented yet")
