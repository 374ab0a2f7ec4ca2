"""Exercise: fix_the_loop — repair the seed article's "distillation" code.

Below, unchanged, is the first code sample of the seed article (section 四, problem 1, "实现一个简单的
知识蒸馏模型"). Read it and find what is wrong: it computes the teacher's output and never uses it
(the loss is plain cross-entropy), it never freezes the teacher (no eval(), no torch.no_grad()),
and its "teacher" is an untrained network trained on nothing, so there is nothing to distil.

Your job: write `distill_step`, ONE correct distillation training step, at the TODO markers:

    teacher in eval mode, under torch.no_grad()        (frozen: it must not change in any way)
    student in train mode
    optimizer.zero_grad()
    loss = alpha * T² * KL(softmax(t / T) ‖ softmax(s / T))    (reduction "batchmean")
         + (1 − alpha) * cross_entropy(s, y)
    loss.backward(); optimizer.step()
    return loss.item()

The article's training code only runs when you execute this file directly (`python starter.py`);
once `distill_step` works, you can rewrite that loop to call it.
"""

import torch
import torch.nn as nn
import torch.optim as optim

import torch.nn.functional as F  # not in the article: you will need it for distill_step


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
    """One optimisation step that distils the frozen `teacher` into `student` on the batch (x, y).

    Args:
        student: the model being trained (its parameters are in `optimizer`); may contain BatchNorm.
        teacher: the trained model to imitate, same input and output shapes. It must come out of
            the call exactly as it went in (weights and BatchNorm running statistics).
        x: inputs, shape (B, features), float32.
        y: class indices, shape (B,), int64.
        optimizer: the student's optimizer (only the student's parameters).
        temperature: T > 0, softens both distributions in the KL term.
        alpha: weight of the soft (teacher) term, in [0, 1]; 1 - alpha weighs the cross-entropy.

    Returns:
        The step's loss as a Python float (computed before the update).
    """
    # TODO: put the teacher in eval mode and the student in train mode
    #       (never trust the mode a model is handed to you in).
    # TODO: the teacher's logits, computed without autograd (no graph, no gradient for it).
    # TODO: the student's logits, WITH autograd (this is what you train).
    # TODO: soft term: KL(softmax(teacher/T) || softmax(student/T)), "batchmean", times T².
    #       (F.kl_div wants the student's LOG-probabilities first, the teacher's probabilities second.)
    # TODO: hard term: cross-entropy of the student's logits against y.
    # TODO: loss = alpha * soft + (1 - alpha) * hard; zero_grad, backward, step.
    # TODO: return the loss as a Python float.
    raise NotImplementedError("distill_step is not implemented yet")


# The article's training code, unchanged except that it now runs only as a script.
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
