"""on_policy_step with a no_grad sampling helper, the still-alive mask as a running product, and
the loss as a Python loop over sequences: each row's real generated tokens selected, the KL by
F.kl_div(log_target=True) summed, the total divided by the number of tokens."""

import torch
import torch.nn.functional as F


@torch.no_grad()
def _sample(student, prompts, steps, generator, temperature, eos_id, pad_id):
    seq = prompts.clone()
    alive = torch.ones(prompts.shape[0], dtype=torch.bool)
    for _ in range(steps):
        probs = torch.softmax(student(seq)[:, -1, :] / temperature, dim=-1)
        nxt = torch.multinomial(probs, num_samples=1, generator=generator)[:, 0]
        nxt[~alive] = pad_id
        seq = torch.cat([seq, nxt.unsqueeze(1)], 1)
        alive &= nxt != eos_id
    return seq


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
    g = torch.Generator()
    g.manual_seed(seed)
    seq = _sample(student, prompts, max_new_tokens, g, temperature, eos_id, pad_id)
    P = prompts.shape[1]
    gen = seq[:, P:]
    before = torch.ones_like(gen, dtype=torch.long)
    before[:, 1:] = (gen[:, :-1] != eos_id).long().cumprod(dim=1)  # 1 while no EOS came before

    with torch.no_grad():
        t_logits = teacher(seq[:, :-1])
    s_logits = student(seq[:, :-1])
    total = s_logits.new_zeros(())
    count = 0
    for b in range(seq.shape[0]):
        keep = before[b].bool()
        rows_s = s_logits[b, P - 1 :][keep]
        rows_t = t_logits[b, P - 1 :][keep]
        log_q = F.log_softmax(rows_s / temperature, dim=-1)
        log_p = F.log_softmax(rows_t / temperature, dim=-1)
        # KL(q ‖ p): F.kl_div(input, target) is KL(target ‖ input), so the student is the target.
        total = total + F.kl_div(log_p, log_q, reduction="sum", log_target=True)
        count += int(keep.sum())
    loss = total / max(count, 1)
    student.zero_grad()
    loss.backward()
    optimizer.step()
    return seq, float(loss.detach())
