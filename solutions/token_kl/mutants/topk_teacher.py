"""Mutant: sparse-logit distillation: keeps the teacher's top-64 tokens and renormalises both models over them."""

import torch
import torch.nn.functional as F


def token_kl_loss(student_logits, teacher_logits, mask, temperature=1.0, reverse=False, top_k=64):
    """Sparse-logit distillation: keep only the teacher's top-k tokens (as in offline LLM KD)."""
    T = temperature
    t = teacher_logits.detach()
    k = min(top_k, t.size(-1))
    idx = t.topk(k, dim=-1).indices
    t_k = t.gather(-1, idx) / T
    s_k = student_logits.gather(-1, idx) / T
    log_p = F.log_softmax(t_k, dim=-1)
    log_q = F.log_softmax(s_k, dim=-1)
    a, b = (log_q, log_p) if reverse else (log_p, log_q)
    kl = (a.exp() * (a - b)).sum(-1)
    kept = mask.bool()
    return torch.where(kept, kl, torch.zeros_like(kl)).sum() / kept.sum().clamp(min=1)
