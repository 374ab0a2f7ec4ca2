"""
[en] Exercise: on_policy_step — one on-policy distillation step for a language model.
[zh] 练习：on_policy_step —— 语言模型的一步同策略蒸馏。

[en] Fill in `on_policy_step`. Run `kdquiz check on_policy_step` to grade it.
[zh] 实现 `on_policy_step`。运行 `kdquiz check on_policy_step` 评分。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def on_policy_step(
    student: nn.Module,
    teacher: nn.Module,
    prompts: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    max_new_tokens: int,
    seed: int,
    temperature: float = 1.0,
    eos_id: int = 1,
    pad_id: int = 0,
) -> tuple[torch.Tensor, float]:
    """
    [en] Sample continuations from the student, score them with teacher forcing, and take one
    [en] optimizer step on the token-level reverse KL(q_student ‖ p_teacher).
    [zh] 从学生采样续写，用 teacher forcing 对其评分，并在 token 级反向 KL(q_student ‖ p_teacher)
    [zh] 上走一步优化。

    Args:
        [en] student, teacher: causal LMs, token ids (B, L) int64 -> logits (B, L, V).
        [zh] student、teacher：因果语言模型，token id (B, L) int64 -> logits (B, L, V)。
        [en] prompts: (B, P) int64, every prompt of the same length P (no padding in them).
        [zh] prompts：(B, P) int64，所有 prompt 长度都是 P（其中没有填充）。
        [en] optimizer: the student's optimizer.
        [zh] optimizer：学生的优化器。
        [en] max_new_tokens: N, the number of positions generated after each prompt.
        [zh] max_new_tokens：N，每个 prompt 之后生成的位置数。
        [en] seed: sample with g = torch.Generator().manual_seed(seed).
        [zh] seed：用 g = torch.Generator().manual_seed(seed) 采样。
        [en] temperature: T, for the sampling and for both distributions in the loss.
        [zh] temperature：T，用于采样，也用于损失中的两个分布。
        [en] eos_id, pad_id: a row is finished once it has produced eos_id; later positions
        [en]     are pad_id (an ordinary token of the vocabulary too).
        [zh] eos_id、pad_id：某行生成 eos_id 之后就结束了，之后的位置都是 pad_id（它在词表里也是普通 token）。

    Returns:
        [en] (sequences, loss): the prompts followed by the N generated positions, (B, P + N)
        [en] int64, and the loss before the update as a Python float.
        [zh] (sequences, loss)：prompt 后接 N 个生成位置，(B, P + N) int64；以及更新前的损失，
        [zh] Python float。
    """
    # [en] TODO: generate N tokens under torch.no_grad(): per step one
    # [en]       torch.multinomial(softmax(last logits / T), 1, generator=g) for the whole batch;
    # [en]       finished rows get pad_id.
    # [zh] TODO：在 torch.no_grad() 下生成 N 个 token：每一步对整个 batch 调用一次
    # [zh]       torch.multinomial(softmax(最后位置的 logits / T), 1, generator=g)；已结束的行填 pad_id。
    # [en] TODO: the mask of real generated tokens (up to and including the first EOS).
    # [zh] TODO：真实生成 token 的掩码（直到第一个 EOS，含 EOS）。
    # [en] TODO: teacher forcing on sequences[:, :-1]; keep the positions that predict the
    # [en]       generated tokens; the teacher without autograd.
    # [zh] TODO：在 sequences[:, :-1] 上做 teacher forcing；保留预测生成 token 的那些位置；教师不求导。
    # [en] TODO: reverse KL per position, mean over the real generated tokens; one step.
    # [zh] TODO：每个位置的反向 KL，对真实生成的 token 求平均；走一步优化。
    raise NotImplementedError("on_policy_step is not implemented yet")
