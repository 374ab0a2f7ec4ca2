"""capstone_digits by hard distillation: the teacher's argmax on the unlabelled images as
pseudo-labels, plain cross-entropy on them and on the real labels, SGD with momentum, epochs
over a shuffled transfer set."""

import torch
import torch.nn.functional as F


def distill(student, teacher, x_labelled, y_labelled, x_unlabelled, seed):
    g = torch.Generator().manual_seed(seed)
    teacher.eval()
    with torch.inference_mode():
        pseudo = teacher(x_unlabelled).argmax(dim=1)
    x = torch.cat([x_labelled, x_unlabelled])
    y = torch.cat([y_labelled, pseudo.clone()])
    optimizer = torch.optim.SGD(student.parameters(), lr=0.2, momentum=0.9)
    student.train()
    for _ in range(8):
        for batch in torch.randperm(len(x), generator=g).split(128):
            loss = F.cross_entropy(student(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    student.eval()
