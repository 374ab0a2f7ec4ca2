"""train_student keeping a deep copy of the whole best model (copy.deepcopy), evaluation inline
under torch.inference_mode(), float(loss.detach()) for the losses."""

import copy

import torch
import torch.nn.functional as F


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 4.0,
    alpha: float = 0.5,
) -> torch.Tensor:
    """alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, y)."""
    t = temperature
    soft = F.kl_div(
        F.log_softmax(student_logits / t, dim=1),
        F.softmax(teacher_logits / t, dim=1),
        reduction="batchmean",
    )
    hard = F.cross_entropy(student_logits, labels)
    return alpha * t * t * soft + (1.0 - alpha) * hard


def train_student(
    student, teacher, loader, val_loader, optimizer, temperature=4.0, alpha=0.5, epochs=1
):
    teacher.eval()
    history = {"losses": [], "val_accuracy": [], "best_epoch": -1}
    best_model = None
    best_accuracy = float("-inf")
    for epoch in range(epochs):
        student.train()
        for x, y in loader:
            with torch.no_grad():
                soft_targets = teacher(x)
            logits = student(x)
            loss = distillation_loss(logits, soft_targets, y, temperature=temperature, alpha=alpha)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            history["losses"].append(float(loss.detach()))
        student.eval()
        hits, seen = 0, 0
        with torch.inference_mode():
            for x, y in val_loader:
                hits += (student(x).argmax(1) == y).sum().item()
                seen += y.numel()
        accuracy = hits / seen
        history["val_accuracy"].append(accuracy)
        if accuracy > best_accuracy:
            best_accuracy = accuracy
            history["best_epoch"] = epoch
            best_model = copy.deepcopy(student)
    if best_model is not None:
        student.load_state_dict(best_model.state_dict())
    student.eval()
    return history
