"""
[en] Exercise: train_student — the distillation training loop, with per-epoch validation and the
[en] best student kept.
[zh] 练习：train_student —— 蒸馏训练循环：逐 epoch 验证，并保留最佳学生。

[en] `distillation_loss` is given (it is the kd_loss exercise's answer). Your job is the loop around
[en] it: a frozen teacher, a student that learns, an evaluation after every epoch, and the best
[en] student handed back. Run `kdquiz check train_student` to grade it.
[zh] `distillation_loss` 已经给出（就是 kd_loss 练习的答案）。你要写的是它外面的循环：冻结的教师、
[zh] 学习中的学生、每个 epoch 之后的一次评估，以及最后交回最佳学生。运行 `kdquiz check train_student` 评分。
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """
    alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, y).

    [en] Already implemented: do not change it.
    [zh] 已经实现好了：不要修改。
    """
    t = temperature
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, labels)
    return alpha * t * t * soft + (1.0 - alpha) * hard


def train_student(
    student: nn.Module,
    teacher: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    val_loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    temperature: float = 4.0,
    alpha: float = 0.5,
    epochs: int = 1,
) -> dict[str, Any]:
    """
    [en] Distil `teacher` into `student` for `epochs` passes over `loader`, measure the student's
    [en] accuracy on `val_loader` after every epoch, and leave the student at its best epoch.
    [zh] 在 `loader` 上训练 `epochs` 轮，把 `teacher` 蒸馏给 `student`；每个 epoch 之后测量学生在
    [zh] `val_loader` 上的准确率，最后让学生停在它最好的那个 epoch。

    Args:
        [en] student: the model being trained (its parameters are in `optimizer`); has BatchNorm.
        [zh] student：正在训练的模型（参数都在 `optimizer` 里）；带 BatchNorm。
        [en] teacher: the trained model to imitate; must come out of the call unchanged.
        [zh] teacher：要模仿的训练好的模型；调用前后必须完全不变。
        [en] loader, val_loader: iterables of (x, y) batches, x (B, features), y (B,) int64.
        [en]     Iterate each with `for x, y in ...` (no len(), no indexing).
        [zh] loader、val_loader：(x, y) batch 的可迭代对象，x 为 (B, features)，y 为 (B,) int64。
        [zh]     用 `for x, y in ...` 遍历（不能用 len()，也不能用下标）。
        [en] optimizer: the student's optimizer; temperature, alpha: for distillation_loss.
        [zh] optimizer：学生的优化器；temperature、alpha：传给 distillation_loss。
        [en] epochs: the number of passes over `loader`.
        [zh] epochs：遍历 `loader` 的轮数。

    Returns:
        [en] {"losses": one loss.item() per step, "val_accuracy": one float per epoch,
        [en]  "best_epoch": the index (from 0) of the epoch with the highest accuracy, the
        [en]  earlier one on a tie}. The student ends with that epoch's weights and buffers.
        [zh] {"losses": 每一步一个 loss.item()，"val_accuracy": 每个 epoch 一个 float，
        [zh]  "best_epoch": 准确率最高的 epoch 的下标（从 0 开始，相同时取较早的）}。
        [zh] 学生最终持有该 epoch 的权重和 buffer。
    """
    # [en] TODO: the teacher in eval mode; for every epoch: the student in train mode, and for
    # [en]       every batch: the teacher's logits under torch.no_grad(), the loss, one step.
    # [zh] TODO：教师切到 eval 模式；每个 epoch：学生切到训练模式，对每个 batch：在 torch.no_grad()
    # [zh]       下计算教师的 logits，计算损失，走一步优化。
    # [en] TODO: after every epoch: accuracy on val_loader (student.eval(), torch.no_grad()).
    # [zh] TODO：每个 epoch 之后：在 val_loader 上计算准确率（student.eval()，torch.no_grad()）。
    # [en] TODO: keep a COPY of the best state_dict; load it back at the end.
    # [zh] TODO：保存最佳 state_dict 的“副本”；最后把它加载回来。
    raise NotImplementedError("train_student is not implemented yet")
