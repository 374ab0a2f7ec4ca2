"""Mutant for on_policy_step: keeps sampling after a sequence has produced EOS instead of padding it."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def on_policy_step(
    student: nn.Module,
    teacher: nn.Module,
    prompts: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    max_new_tokens: int,
    seed: int,
    temperature: float = 1.0,
    eos_id: int = 1,
    pad_id: int = 0,
) -> tuple[torch.Tensor, float]:
    """Sample from the student, score with teacher forcing, one step on the reverse KL."""
    generator = torch.Generator().manual_seed(seed)
    batch, prompt_len = prompts.shape

    # 1. On-policy data: the student's own continuations, sampled as Hugging Face's generate()
    #    does (every row draws, finished rows are then overwritten with pad_id). No graph: the
    #    samples are data, not something to differentiate through.
    sequences = prompts
    finished = torch.zeros(batch, dtype=torch.bool)
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = student(sequences)[:, -1, :]
            probs = torch.softmax(logits / temperature, dim=-1)
            token = torch.multinomial(probs, 1, generator=generator).squeeze(1)
            sequences = torch.cat([sequences, token[:, None]], dim=1)
            finished = finished | (token == eos_id)

    # 2. Which generated positions are real: up to and including the first EOS. The mask comes
    #    from where the EOS was, not from comparing with pad_id (an ordinary token here).
    generated = sequences[:, prompt_len:]
    is_eos = (generated == eos_id).long()
    mask = (is_eos.cumsum(dim=1) - is_eos) == 0  # no EOS strictly before this position

    # 3. Teacher forcing: the logits at position i predict token i + 1, so the N generated
    #    tokens are predicted by the positions prompt_len - 1 ... prompt_len + N - 2.
    inputs = sequences[:, :-1]
    with torch.no_grad():
        teacher_logits = teacher(inputs)[:, prompt_len - 1 :, :]
    student_logits = student(inputs)[:, prompt_len - 1 :, :]

    # 4. Token-level reverse KL(q_student ‖ p_teacher) at the temperature, averaged over the real
    #    generated tokens of the whole batch.
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    kl = (log_q.exp() * (log_q - log_p)).sum(dim=-1)  # (B, N)
    weights = mask.to(kl.dtype)
    loss = (kl * weights).sum() / weights.sum().clamp(min=1)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return sequences, loss.item()
