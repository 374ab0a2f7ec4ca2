"""capstone_digits by logit matching (Ba & Caruana, 2014): mean squared error between the
student's and the teacher's logits on every image, plus a little cross-entropy on the labels,
AdamW, full batches."""

import torch
import torch.nn.functional as F


def distill(student, teacher, x_labelled, y_labelled, x_unlabelled, seed):
    torch.manual_seed(seed)
    x_all = torch.cat([x_labelled, x_unlabelled])
    for module in teacher.modules():
        module.train(False)
    with torch.no_grad():
        target = teacher(x_all)
    optimizer = torch.optim.AdamW(student.parameters(), lr=1e-2, weight_decay=1e-4)
    student.train()
    for _ in range(200):
        mse = F.mse_loss(student(x_all), target)
        ce = F.cross_entropy(student(x_labelled), y_labelled)
        loss = mse + 0.1 * ce
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
