"""on_policy_step written with a Python list of tokens per step, the real-token mask built in
the sampling loop itself (a token is real when its row was alive before it), and the reverse KL
as negative entropy minus the cross term, by einsum."""

import torch


def on_policy_step(
    student,
    teacher,
    prompts,
    optimizer,
    max_new_tokens,
    seed,
    temperature=1.0,
    eos_id=1,
    pad_id=0,
):
    generator = torch.Generator().manual_seed(seed)
    B, P = prompts.shape
    tokens = [prompts]
    real = []
    alive = torch.ones(B, dtype=torch.bool)
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = student(torch.cat(tokens, dim=1))[:, -1]
            draw = torch.multinomial(
                torch.softmax(logits / temperature, dim=-1), 1, generator=generator
            )
            draw = draw.squeeze(-1).masked_fill(~alive, pad_id)
            real.append(alive.clone())
            tokens.append(draw[:, None])
            alive = alive & (draw != eos_id)
    sequences = torch.cat(tokens, dim=1)
    mask = torch.stack(real, dim=1).float()  # (B, N)

    inputs = sequences[:, :-1]
    with torch.no_grad():
        t = teacher(inputs)[:, P - 1 :] / temperature
    s = student(inputs)[:, P - 1 :] / temperature
    log_q = s - torch.logsumexp(s, dim=-1, keepdim=True)
    log_p = t - torch.logsumexp(t, dim=-1, keepdim=True)
    q = log_q.exp()
    kl = torch.einsum("bnv,bnv->bn", q, log_q) - torch.einsum("bnv,bnv->bn", q, log_p)
    loss = (kl * mask).sum() / torch.clamp(mask.sum(), min=1.0)

    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return sequences, loss.item()
