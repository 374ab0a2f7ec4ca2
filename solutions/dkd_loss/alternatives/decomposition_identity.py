"""Alternative: one log_softmax per network, then the identity log p_hat_i = log p_i - log(1 - p_t)
for the non-target classes; the KL written as cross-entropy minus entropy."""

import torch


def dkd_loss(
    logits_student: torch.Tensor,
    logits_teacher: torch.Tensor,
    target: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """Decoupled KD via the decomposition p_i = (1 - p_t) * p_hat_i."""
    B, C = logits_student.shape
    others = torch.arange(C).expand(B, C)
    others = others[others != target.view(B, 1)].view(B, C - 1)  # non-target indices per row

    def pieces(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        log_p = torch.log_softmax(logits / temperature, dim=-1)
        log_p_target = log_p.gather(1, target.view(B, 1))
        log_p_others = log_p.gather(1, others)
        log_rest = torch.logsumexp(log_p_others, dim=-1, keepdim=True)  # log(1 - p_t)
        return torch.cat([log_p_target, log_rest], dim=-1), log_p_others - log_rest

    b_s, hat_s = pieces(logits_student)
    b_t, hat_t = (x.detach() for x in pieces(logits_teacher))

    def kl(log_t: torch.Tensor, log_s: torch.Tensor) -> torch.Tensor:
        p_t = log_t.exp()
        # KL = sum p_t log p_t - sum p_t log p_s  (entropy term, then cross-entropy term)
        return torch.special.xlogy(p_t, p_t).sum() - (p_t * log_s).sum()

    factor = temperature * temperature / B
    return factor * (alpha * kl(b_t, b_s) + beta * kl(hat_t, hat_s))
