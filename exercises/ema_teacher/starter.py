"""
[en] Exercise: ema_teacher — the momentum (EMA) teacher of Mean Teacher and DINO.
[zh] 练习：ema_teacher——Mean Teacher 和 DINO 中的动量（EMA）教师。

[en] After every optimisation step of the student, the teacher moves a little towards it:
[zh] 学生每做一步优化，教师就向学生靠近一点：

    teacher ← momentum · teacher + (1 − momentum) · student

[en] Write `ema_update`, which does this in place on the teacher, without autograd, following the
[en] convention of timm's ModelEmaV3 (default settings): every floating-point entry of the state_dict
[en] (parameters and BatchNorm running statistics) is averaged, every integer entry (BatchNorm's
[en] num_batches_tracked) is copied from the student.
[zh] 编写 `ema_update`：在教师上原地完成这次更新，不经过 autograd，遵循 timm 的 ModelEmaV3
[zh] （默认设置）的约定：state_dict 中每个浮点条目（参数和 BatchNorm 的运行统计量）做滑动平均，
[zh] 每个整数条目（BatchNorm 的 num_batches_tracked）从学生复制。
"""

from __future__ import annotations

import torch
from torch import nn


def ema_update(teacher: nn.Module, student: nn.Module, momentum: float) -> None:
    """
    [en] Move `teacher` towards `student`: teacher ← momentum · teacher + (1 − momentum) · student.
    [zh] 让 `teacher` 向 `student` 靠近：teacher ← momentum · teacher + (1 − momentum) · student。

    [en] Args:
    [zh] 参数：
        teacher:
            [en] the EMA model; updated in place (its own tensors change, no new ones are bound).
            [zh] EMA 模型；原地更新（改变的是它自己的张量，不绑定新的张量）。
        student:
            [en] the model being trained, same architecture; it must not change.
            [zh] 正在训练的模型，结构相同；它不能被改变。
        momentum:
            [en] in [0, 1]; 1 keeps the teacher's weights, 0 copies the student.
            [zh] 取值在 [0, 1]；1 保留教师的权重，0 复制学生。

    [en] Returns:
    [zh] 返回：
        None.

    [en] Raises:
    [zh] 异常：
        [en] ValueError: if momentum is outside [0, 1].
        [zh] ValueError：momentum 不在 [0, 1] 内时。
    """
    # [en] TODO: reject a momentum outside [0, 1] with ValueError, before touching anything.
    # [zh] TODO：在改动任何东西之前，momentum 不在 [0, 1] 内时抛出 ValueError。
    # [en] TODO: turn autograd off for the whole update.
    # [zh] TODO：整个更新过程关闭 autograd。
    # [en] TODO: walk through the teacher's and the student's state_dict entries, matched by name.
    # [zh] TODO：按名字逐一对应教师和学生 state_dict 中的条目。
    # [en]   TODO: floating-point entry (weights, biases, running_mean, running_var):
    # [en]         average it IN PLACE on the teacher's tensor (mul_/add_ or lerp_).
    # [zh]   TODO：浮点条目（权重、偏置、running_mean、running_var）：
    # [zh]         在教师的张量上**原地**做平均（mul_/add_ 或 lerp_）。
    # [en]   TODO: integer entry (num_batches_tracked): copy the student's value.
    # [zh]   TODO：整数条目（num_batches_tracked）：复制学生的值。
    raise NotImplementedError("ema_update is not implemented yet")
