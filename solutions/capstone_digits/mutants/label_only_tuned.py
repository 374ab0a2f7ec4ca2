"""Mutant for capstone_digits: trains harder on the labels alone (AdamW, weight decay, label smoothing, input noise, 400 steps): still no teacher."""
import torch
import torch.nn.functional as F
def distill(student, teacher, x_labelled, y_labelled, x_unlabelled, seed):
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(student.parameters(), lr=5e-3, weight_decay=5e-2)
    student.train()
    for _ in range(400):
        loss = F.cross_entropy(student(x_labelled + 0.05 * torch.randn_like(x_labelled)), y_labelled, label_smoothing=0.1)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
