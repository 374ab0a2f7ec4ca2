"""train_student with an @torch.no_grad() evaluation helper that concatenates the predictions,
copy.deepcopy(state_dict()) snapshots, the best epoch found with max() over the history (first
maximum), and the snapshot of every epoch kept until the end."""

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


@torch.no_grad()
def _accuracy(model, loader):
    was_training = model.training
    model.eval()
    predictions, labels = [], []
    for x, y in loader:
        predictions.append(model(x).argmax(dim=-1))
        labels.append(y)
    model.train(was_training)
    return (torch.cat(predictions) == torch.cat(labels)).double().mean().item()


def train_student(
    student, teacher, loader, val_loader, optimizer, temperature=4.0, alpha=0.5, epochs=1
):
    for module in teacher.modules():
        module.eval()
    student.train()
    losses, accuracies, snapshots = [], [], []
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad(set_to_none=True)
            with torch.no_grad():
                t = teacher(x)
            s = student(x)
            loss = distillation_loss(s, t, y, temperature, alpha)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        accuracies.append(_accuracy(student, val_loader))
        snapshots.append(copy.deepcopy(student.state_dict()))
    best = max(range(len(accuracies)), key=lambda i: accuracies[i]) if accuracies else -1
    if best >= 0:
        student.load_state_dict(snapshots[best])
    student.eval()
    return {"losses": losses, "val_accuracy": accuracies, "best_epoch": best}
