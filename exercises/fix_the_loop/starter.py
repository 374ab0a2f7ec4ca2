"""
[en] Exercise: fix_the_loop — repair the seed article's "distillation" code.
[zh] 练习：fix_the_loop —— 修好原文的“蒸馏”代码。

[en] Below, unchanged, is the first code sample of the seed article (section 四, problem 1, "实现一个
[en] 简单的知识蒸馏模型"). Read it and find what is wrong: it computes the teacher's output and never
[en] uses it (the loss is plain cross-entropy), it never freezes the teacher (no eval(), no
[en] torch.no_grad()), and its "teacher" is an untrained network trained on nothing, so there is
[en] nothing to distil.
[zh] 下面原样保留了原文的第一段代码（第四节第 1 题“实现一个简单的知识蒸馏模型”）。读一读，找出问题所在：
[zh] 它算出了教师的输出却从未使用（损失就是普通的交叉熵），它从未冻结教师（没有 eval()，也没有
[zh] torch.no_grad()），而且它的“教师”是一个什么都没训练过的网络，根本没有可蒸馏的知识。

[en] Your job: write `distill_step`, ONE correct distillation training step, at the TODO markers:
[zh] 你的任务：在 TODO 处写出 `distill_step`，即“一步”正确的蒸馏训练：

    [en] teacher in eval mode, under torch.no_grad()        (frozen: it must not change in any way)
    [en] student in train mode
    [zh] 教师处于 eval 模式，在 torch.no_grad() 下运行      （冻结：它不能有任何改变）
    [zh] 学生处于训练模式
    optimizer.zero_grad()
    loss = alpha * T² * KL(softmax(t / T) ‖ softmax(s / T))    (reduction "batchmean")
         + (1 − alpha) * cross_entropy(s, y)
    loss.backward(); optimizer.step()
    return loss.item()

[en] The article's training code only runs when you execute this file directly
[en] (`python starter.py`); once `distill_step` works, you can rewrite that loop to call it.
[en] Run `kdquiz check fix_the_loop` to grade it.
[zh] 原文的训练代码只有在直接运行这个文件时（`python starter.py`）才会执行；`distill_step`
[zh] 写好以后，可以把那个循环改成调用它。运行 `kdquiz check fix_the_loop` 评分。
"""

import torch
import torch.nn as nn
import torch.optim as optim

# [en] Not in the article: you will need it for distill_step.
# [zh] 原文中没有这一行：写 distill_step 时会用到。
import torch.nn.functional as F


class TeacherModel(nn.Module):
    def __init__(self):
        super(TeacherModel, self).__init__()
        # 定义教师模型的网络结构
        self.fc = nn.Linear(in_features=784, out_features=10)

    def forward(self, x):
        return self.fc(x)

class StudentModel(nn.Module):
    def __init__(self):
        super(StudentModel, self).__init__()
        # 定义学生模型的网络结构
        self.fc = nn.Linear(in_features=784, out_features=10)

    def forward(self, x):
        return self.fc(x)


def distill_step(
    student: nn.Module,
    teacher: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    temperature: float,
    alpha: float,
) -> float:
    """
    [en] One optimisation step that distils the frozen `teacher` into `student` on the batch (x, y).
    [zh] 在 batch (x, y) 上把冻结的 `teacher` 蒸馏给 `student` 的一步优化。

    Args:
        [en] student: the model being trained (its parameters are in `optimizer`); may contain
        [en]     BatchNorm.
        [zh] student：正在训练的模型（参数都在 `optimizer` 里）；可能包含 BatchNorm。
        [en] teacher: the trained model to imitate, same input and output shapes. It must come out
        [en]     of the call exactly as it went in (weights and BatchNorm running statistics).
        [zh] teacher：要模仿的训练好的模型，输入输出形状相同。调用前后它必须完全一样
        [zh]     （权重和 BatchNorm 的 running 统计量）。
        [en] x: inputs, shape (B, features), float32.
        [zh] x：输入，形状 (B, features)，float32。
        [en] y: class indices, shape (B,), int64.
        [zh] y：类别下标，形状 (B,)，int64。
        [en] optimizer: the student's optimizer (only the student's parameters).
        [zh] optimizer：学生的优化器（只包含学生的参数）。
        [en] temperature: T > 0, softens both distributions in the KL term.
        [zh] temperature：T > 0，在 KL 项中软化两个分布。
        [en] alpha: weight of the soft (teacher) term, in [0, 1]; 1 - alpha weighs the cross-entropy.
        [zh] alpha：软（教师）项的权重，取值 [0, 1]；1 - alpha 是交叉熵的权重。

    Returns:
        [en] The step's loss as a Python float (computed before the update).
        [zh] 这一步的损失，Python float（在更新之前计算）。
    """
    # [en] TODO: put the teacher in eval mode and the student in train mode
    # [en]       (never trust the mode a model is handed to you in).
    # [zh] TODO：把教师切到 eval 模式、学生切到训练模式（永远别相信模型传进来时的模式）。
    # [en] TODO: the teacher's logits, computed without autograd (no graph, no gradient for it).
    # [zh] TODO：在不求导的情况下计算教师的 logits（不为它建计算图，也没有梯度）。
    # [en] TODO: the student's logits, WITH autograd (this is what you train).
    # [zh] TODO：在求导的情况下计算学生的 logits（要训练的就是它）。
    # [en] TODO: soft term: KL(softmax(teacher/T) || softmax(student/T)), "batchmean", times T².
    # [en]       (F.kl_div wants the student's LOG-probabilities first, the teacher's
    # [en]       probabilities second.)
    # [zh] TODO：软项：KL(softmax(teacher/T) || softmax(student/T))，"batchmean"，再乘以 T²。
    # [zh]       （F.kl_div 的第一个参数是学生的“对数”概率，第二个参数是教师的概率。）
    # [en] TODO: hard term: cross-entropy of the student's logits against y.
    # [zh] TODO：硬项：学生 logits 对 y 的交叉熵。
    # [en] TODO: loss = alpha * soft + (1 - alpha) * hard; zero_grad, backward, step.
    # [zh] TODO：loss = alpha * soft + (1 - alpha) * hard；zero_grad、backward、step。
    # [en] TODO: return the loss as a Python float.
    # [zh] TODO：以 Python float 返回损失。
    raise NotImplementedError("distill_step is not implemented yet")


# [en] The article's training code, unchanged except that it now runs only as a script.
# [zh] 原文的训练代码，除了现在只在作为脚本运行时执行以外，没有任何改动。
if __name__ == "__main__":
    # 创建教师模型、学生模型和损失函数
    teacher_model = TeacherModel()
    student_model = StudentModel()
    criterion = nn.CrossEntropyLoss()

    # 设置优化器
    optimizer = optim.SGD(student_model.parameters(), lr=0.001)

    # 生成一些随机数据
    x = torch.randn(64, 784)
    y = torch.randint(0, 10, (64,))

    # 训练学生模型
    for epoch in range(10):
        teacher_output = teacher_model(x)
        student_output = student_model(x)

        # 计算损失
        loss = criterion(student_output, y)

        # 反向传播和优化
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        print(f"Epoch {epoch+1}, Loss: {loss.item()}")
