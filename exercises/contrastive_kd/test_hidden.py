"""Hidden suite for contrastive_kd: CRD-style InfoNCE with in-batch negatives.

The reference follows the authors' CRD conventions (HobbitLong/RepDistiller, crd/criterion.py
and helper/loops.py): a linear head then L2 normalisation on each side, the teacher's features
detached while its head learns, similarities divided by the temperature, and the two symmetric
parts (student as anchor, teacher as anchor) summed, each averaged over the batch. The heads
cross the sandbox as ModelSpecs (kdquiz.grading.builders, "linear"), with weights drawn from the
seed; the reply reports the gradients their parameters received, compared with the reference's
on identical heads built in the judge. Inputs come from the fresh ``seeds`` of each grading plus
fixed edge cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import torch

from kdquiz.grading.builders import ModelSpec, build_model, init_state
from kdquiz.grading.suite import Case, expect_close, expect_raises, expect_tensor, fail, seeded

# The loss is O(1)-O(10); gradients are O(1 / (B * temperature)).
ATOL, RTOL = 1e-5, 1e-4
GRAD_ATOL, GRAD_RTOL = 1e-5, 1e-4
TEMPERATURES = (0.05, 0.07, 0.1, 0.2, 0.5)


@dataclass
class Setup:
    student: torch.Tensor
    teacher: torch.Tensor
    head_s: ModelSpec
    head_t: ModelSpec
    desc: str
    desc_zh: str

    @property
    def args(self) -> tuple[Any, ...]:
        return (self.student, self.teacher, self.head_s, self.head_t)


def _draw(g: torch.Generator, low: int, high: int) -> int:
    return int(torch.randint(low, high + 1, (1,), generator=g))


def _head(d_in: int, d_out: int, seed: int, scale: float = 1.0) -> ModelSpec:
    options = {"in_features": d_in, "out_features": d_out}
    state = init_state("linear", options, seed)
    if scale != 1.0:
        state = {k: v * scale for k, v in state.items()}
    return ModelSpec("linear", options, state=state)


def _setup(seed: int, B: int | None = None) -> Setup:
    """Student features (B, D_s), teacher features (B, D_t), heads to a shared dimension D;
    D_s, D_t and D all different, B in [2, 12] unless given."""
    g = seeded(seed)
    B = B if B is not None else _draw(g, 2, 12)
    ds, dt, d = _draw(g, 3, 10), _draw(g, 11, 20), _draw(g, 4, 8)
    student = torch.randn(B, ds, generator=g)
    teacher = torch.randn(B, dt, generator=g) * 2
    return Setup(
        student,
        teacher,
        _head(ds, d, seed + 1),
        _head(dt, d, seed + 2),
        f"B={B}, student features {ds}-d, teacher features {dt}-d, heads to {d}-d",
        f"B={B}，学生特征 {ds} 维，教师特征 {dt} 维，投影到 {d} 维",
    )


def _temperature(seed: int) -> float:
    return TEMPERATURES[int(torch.randint(0, len(TEMPERATURES), (1,), generator=seeded(seed + 3)))]


def _case(setup: Setup, tau: float, extra: str = "", extra_zh: str = "") -> Case:
    en = f"{setup.desc}, temperature={tau:g}"
    zh = f"{setup.desc_zh}，温度={tau:g}"
    return Case(f"{en}, {extra}" if extra else en, f"{zh}，{extra_zh}" if extra_zh else zh)


def _reference_run(reference: Any, setup: Setup, tau: float) -> dict[str, Any]:
    """The reference's loss, its gradient w.r.t. the student's features, and both heads'
    parameter gradients, on heads built from the same specs."""
    head_s, _ = build_model(setup.head_s)
    head_t, _ = build_model(setup.head_t)
    student = setup.student.clone().requires_grad_(True)
    loss = reference.contrastive_kd_loss(student, setup.teacher.clone(), head_s, head_t, tau)
    loss.backward()
    assert student.grad is not None

    def grads(model: Any) -> dict[str, torch.Tensor]:
        return {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}

    return {
        "loss": loss.detach(),
        "student": student.grad,
        "head_s": grads(head_s),
        "head_t": grads(head_t),
    }


def _expect_value(submission: Any, reference: Any, setup: Setup, tau: float, case: Case) -> None:
    got = submission.contrastive_kd_loss(*setup.args, temperature=tau)
    want = _reference_run(reference, setup, tau)["loss"]
    expect_close(got, want, atol=ATOL, rtol=RTOL, case=case)


def _expect_head_grads(
    got: dict[str, Any], want: dict[str, torch.Tensor], which: str, which_zh: str, case: Case
) -> None:
    for name, tensor in want.items():
        if name not in got:
            fail(
                f"the {which} head's parameter {name} received no gradient on {case.en}",
                f"{which_zh}投影头的参数 {name} 没有得到梯度（{case.zh}）",
            )
        expect_close(
            got[name],
            tensor,
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what=f"the gradient of the {which} head's {name}",
            what_zh=f"{which_zh}投影头参数 {name} 的梯度",
        )


# --- The value ----------------------------------------------------------------------------------


def test_returns_scalar(submission: Any, seeds: list[int]) -> None:
    """Returns a 0-dim float32 tensor

    zh: 返回 0 维 float32 张量
    """
    setup = _setup(seeds[0], B=8)
    got = submission.contrastive_kd_loss(*setup.args, temperature=0.07)
    expect_tensor(got, shape=(), dtype=torch.float32, case=_case(setup, 0.07))


@pytest.mark.feedback(
    en="check each step: project each side with its own head, L2-normalise every embedding, "
    "cosine similarities of all student–teacher pairs divided by the temperature, positives on "
    "the diagonal, cross-entropy with the student as anchor plus with the teacher as anchor",
    zh="逐步检查：每一侧用自己的投影头投影，每个嵌入做 L2 归一化，所有学生–教师对的余弦相似度除以温度，"
    "正样本在对角线上，以学生为锚点的交叉熵加上以教师为锚点的交叉熵",
    hint=2,
)
def test_matches_reference_random(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Matches the reference on random features, heads and temperatures

    zh: 在随机的特征、投影头和温度下与参考答案一致
    """
    for seed in seeds:
        setup = _setup(seed)
        tau = _temperature(seed)
        _expect_value(submission, reference, setup, tau, _case(setup, tau))


@pytest.mark.feedback(
    en="the default temperature is CRD's nce_t = 0.07",
    zh="默认温度是 CRD 的 nce_t = 0.07",
    hint=2,
)
def test_default_temperature(submission: Any, seeds: list[int]) -> None:
    """The default temperature is 0.07

    zh: 默认温度为 0.07
    """
    setup = _setup(seeds[0], B=6)
    case = _case(setup, 0.07)
    explicit = submission.contrastive_kd_loss(*setup.args, temperature=0.07)
    expect_tensor(explicit, shape=(), dtype=torch.float32, case=case)
    expect_close(
        submission.contrastive_kd_loss(*setup.args),
        explicit,
        atol=1e-6,
        rtol=1e-6,
        case=Case(
            f"{case.en} given explicitly vs. left to the default",
            f"{case.zh}，显式传入与使用默认值相比",
        ),
    )


@pytest.mark.feedback(
    en="CRD has two symmetric parts, added: each student embedding picks its teacher among the "
    "batch's teachers, and each teacher embedding picks its student among the batch's students",
    zh="CRD 有两个对称的部分，二者相加：每个学生嵌入要在 batch 的所有教师中找出自己的教师，每个教师嵌入"
    "也要在 batch 的所有学生中找出自己的学生",
    hint=1,
)
def test_both_anchors(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Both directions count: student as anchor plus teacher as anchor

    zh: 两个方向都要计入：以学生为锚点，加上以教师为锚点
    """
    setup = _setup(seeds[0], B=10)
    _expect_value(submission, reference, setup, 0.1, _case(setup, 0.1))


@pytest.mark.feedback(
    en="the similarities are cosines: each embedding is L2-normalised after its head, so "
    "scaling a head's weights cannot change the loss",
    zh="相似度是余弦值：每个嵌入在投影头之后做 L2 归一化，所以放大投影头的权重不会改变损失",
    hint=1,
)
def test_embeddings_are_normalised(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Scaling a head's weights leaves the loss unchanged (L2-normalised embeddings)

    zh: 放大投影头的权重不改变损失（嵌入经过 L2 归一化）
    """
    setup = _setup(seeds[0], B=8)
    big = Setup(
        setup.student,
        setup.teacher,
        ModelSpec(
            "linear", setup.head_s.options, {k: 7.0 * v for k, v in setup.head_s.state.items()}
        ),
        ModelSpec(
            "linear", setup.head_t.options, {k: 0.2 * v for k, v in setup.head_t.state.items()}
        ),
        setup.desc,
        setup.desc_zh,
    )
    case = _case(big, 0.07, "student head ×7, teacher head ×0.2", "学生投影头 ×7，教师投影头 ×0.2")
    _expect_value(submission, reference, big, 0.07, case)


@pytest.mark.feedback(
    en="with one sample its only candidate is its own partner, so both cross-entropies are 0: "
    "the positive pair belongs in the softmax's denominator",
    zh="只有一个样本时，唯一的候选就是它自己的配对样本，所以两个交叉熵都是 0：正样本对应当出现在 softmax 的分母中",
    hint=2,
)
def test_batch_of_one(submission: Any, reference: Any, seeds: list[int]) -> None:
    """A batch of one gives 0

    zh: batch 大小为 1 时结果为 0
    """
    setup = _setup(seeds[0], B=1)
    _expect_value(submission, reference, setup, 0.07, _case(setup, 0.07))


@pytest.mark.feedback(
    en="at a small temperature the logits reach 1/temperature = 100, and exp(100) overflows "
    "float32: use log_softmax / cross_entropy / logsumexp, never log(sum(exp(...)))",
    zh="温度很小时 logits 可达 1/温度 = 100，而 exp(100) 在 float32 中会溢出：使用 log_softmax / "
    "cross_entropy / logsumexp，不要写 log(sum(exp(...)))",
    hint=3,
)
def test_small_temperature_aligned(submission: Any, reference: Any, seeds: list[int]) -> None:
    """Temperature 0.01 with well-aligned pairs: finite and right

    zh: 温度为 0.01、正样本对高度对齐时：结果是有限值且正确
    """
    g = seeded(seeds[0])
    B, d = 6, 5
    feats = torch.randn(B, d, generator=g)
    head = _head(d, d, seeds[0] + 1)
    setup = Setup(feats, feats.clone(), head, head, "", "")
    case = Case(
        f"B={B}, teacher = student features and heads, temperature=0.01",
        f"B={B}，教师与学生的特征和投影头相同，温度=0.01",
    )
    _expect_value(submission, reference, setup, 0.01, case)


# --- Gradients ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the gradient follows from the value; check that the student's features go through its "
    "head inside the graph",
    zh="梯度由数值决定；检查学生的特征是否在计算图内经过它的投影头",
    hint=2,
)
def test_student_gradients(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The gradients w.r.t. the student's features and its head are right

    zh: 对学生特征及其投影头的梯度正确
    """
    for seed in seeds[:1]:  # the teacher-head test checks the gradients on another draw
        setup = _setup(seed, B=6)
        tau = _temperature(seed)
        case = _case(setup, tau)
        result = submission.contrastive_kd_loss.call(*setup.args, tau, grad_of=[0])
        want = _reference_run(reference, setup, tau)
        grad = result.grads.get(0)
        if grad is None:
            fail(
                f"no gradient reached the student's features on {case.en}",
                f"没有梯度传到学生特征（{case.zh}）",
            )
        expect_close(
            grad,
            want["student"],
            atol=GRAD_ATOL,
            rtol=GRAD_RTOL,
            case=case,
            what="the gradient w.r.t. the student's features",
            what_zh="对学生特征的梯度",
        )
        _expect_head_grads(result.objects[2]["grads"], want["head_s"], "student", "学生", case)


@pytest.mark.feedback(
    en="only the teacher's features are fixed: its projection head is part of the loss and "
    "trains with the student (CRD optimises both heads), so keep it in the graph",
    zh="固定的只是教师的特征：教师的投影头属于损失的一部分，和学生一起训练（CRD 同时优化两个投影头），"
    "所以要让它留在计算图里",
    hint=3,
)
def test_teacher_head_learns(submission: Any, reference: Any, seeds: list[int]) -> None:
    """The teacher's projection head receives the right gradients

    zh: 教师的投影头得到正确的梯度
    """
    setup = _setup(seeds[1], B=6)
    case = _case(setup, 0.1)
    result = submission.contrastive_kd_loss.call(*setup.args, 0.1, grad_of=[0])
    want = _reference_run(reference, setup, 0.1)
    _expect_head_grads(result.objects[3]["grads"], want["head_t"], "teacher", "教师", case)


@pytest.mark.feedback(
    en="the teacher network is frozen: detach its features (or compute them under "
    "torch.no_grad()) before they enter the teacher's head",
    zh="教师网络是冻结的：教师特征进入教师投影头之前要 detach（或在 torch.no_grad() 下得到）",
    hint=3,
)
def test_teacher_features_get_no_gradient(submission: Any, seeds: list[int]) -> None:
    """The teacher's features receive no gradient

    zh: 教师特征没有得到梯度
    """
    setup = _setup(seeds[0], B=6)
    result = submission.contrastive_kd_loss.call(*setup.args, 0.07, grad_of=[0, 1])
    grad = result.grads.get(1)
    if grad is not None and bool((grad != 0).any()):
        case = _case(setup, 0.07)
        fail(
            f"the teacher's features received a gradient on {case.en}",
            f"教师特征得到了梯度（{case.zh}）",
        )


# --- Arguments ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="the i-th student and the i-th teacher are a positive pair, so both sides must have the "
    "same batch size: check it and raise ValueError",
    zh="第 i 个学生和第 i 个教师构成正样本对，所以两侧的 batch 大小必须相同：检查它并抛出 ValueError",
    hint=2,
)
def test_batch_sizes_must_match(submission: Any, seeds: list[int]) -> None:
    """Different batch sizes raise ValueError

    zh: batch 大小不同时抛出 ValueError
    """
    setup = _setup(seeds[0], B=6)
    teacher = torch.cat([setup.teacher, setup.teacher[:2]])
    expect_raises(
        submission.contrastive_kd_loss,
        "ValueError",
        setup.student[:4],
        teacher,
        setup.head_s,
        setup.head_t,
        case=Case("4 student rows, 8 teacher rows", "学生 4 行，教师 8 行"),
    )
