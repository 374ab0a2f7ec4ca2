"""Mutant: a T = 1 shortcut that forgets to detach the teacher."""

import torch
import torch.nn.functional as F

def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
    T = temperature
    hard = F.cross_entropy(student_logits, labels)
    if T == 1:
        # no softening: plain KL between the two softmaxes
        soft = F.kl_div(F.log_softmax(student_logits, -1), F.softmax(teacher_logits, -1),
                        reduction="batchmean")
    else:
        with torch.no_grad():
            p_t = F.softmax(teacher_logits / T, -1)
        soft = F.kl_div(F.log_softmax(student_logits / T, -1), p_t, reduction="batchmean") * T * T
    return alpha * soft + (1 - alpha) * hard
