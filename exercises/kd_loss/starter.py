"""
[en] kd_loss: the knowledge-distillation loss of Hinton et al. (2015).
[zh] kd_loss：Hinton 等人（2015）的知识蒸馏损失。

[en] Implement distillation_loss below, then run `kdquiz check kd_loss`.
[zh] 实现下面的 distillation_loss，然后运行 `kdquiz check kd_loss`。
"""

import torch
# [en] you will probably want F.log_softmax, F.kl_div, ...
# [zh] 你大概会用到 F.log_softmax、F.kl_div 等
import torch.nn.functional as F  # noqa: F401


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """
    [en] The distillation loss, a 0-dim tensor:
    [zh] 蒸馏损失，一个 0 维张量：

        alpha * T**2 * KL(softmax(teacher / T) || softmax(student / T))
        + (1 - alpha) * cross_entropy(student_logits, labels)

    [en] The KL term is summed over classes and averaged over the batch; the cross-entropy is
    [en] averaged over the batch.
    [zh] KL 项对类别求和、对批求平均；交叉熵对批求平均。

    [en] Args:
    [zh] 参数：
        student_logits:
            [en] (B, C) float tensor, the student's raw scores.
            [zh] (B, C) 的浮点张量，学生的原始输出。
        teacher_logits:
            [en] (B, C) float tensor, the teacher's raw scores (a fixed target: no gradient
            [en] may flow into it).
            [zh] (B, C) 的浮点张量，教师的原始输出（固定的目标：梯度不能传到它）。
        labels:
            [en] (B,) int64 tensor of class indices in [0, C).
            [zh] (B,) 的 int64 张量，类别下标，取值在 [0, C)。
        temperature:
            [en] T > 0, softens both distributions in the soft term only.
            [zh] T > 0，只在软项中软化两个分布。
        alpha:
            [en] weight of the soft term, in [0, 1].
            [zh] 软项的权重，取值在 [0, 1]。

    [en] Returns:
    [zh] 返回：
        [en] A 0-dim float tensor, finite even for logits of magnitude 100.
        [zh] 0 维浮点张量；logits 量级为 100 时也必须是有限值。
    """
    # [en] TODO 1: the student's log-probabilities and the teacher's probabilities at temperature T
    # [en]         (use log_softmax, never log(softmax(...))).
    # [zh] TODO 1：温度 T 下学生的对数概率和教师的概率
    # [zh]         （用 log_softmax，不要写 log(softmax(...))）。
    # [en] TODO 2: the KL divergence, summed over classes and averaged over the batch, times T**2.
    # [zh] TODO 2：KL 散度，对类别求和、对批求平均，再乘以 T**2。
    # [en] TODO 3: the ordinary cross-entropy on the raw student logits and the hard labels.
    # [zh] TODO 3：在原始学生 logits 和硬标签上计算普通交叉熵。
    # [en] TODO 4: combine the two terms with alpha and 1 - alpha.
    # [zh] TODO 4：用 alpha 和 1 - alpha 组合两项。
    raise NotImplementedError("distillation_loss is not implemented yet")
