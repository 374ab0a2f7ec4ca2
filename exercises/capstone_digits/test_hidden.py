"""Hidden suite for capstone_digits: distill(student, teacher, x_labelled, y_labelled,
x_unlabelled, seed) -> None, graded statistically on real data.

The data is the 8x8 handwritten digits (UCI optdigits' test set, 1,797 images, as scikit-learn
ships it), in ``digits.csv.gz`` next to this file: the judge reads it, the sandboxed child never
sees it. A fixed split keeps 597 images as the held-out test set; the other 1,200 form the pool.
The teacher (an MLP with BatchNorm, 98.5 % test accuracy) is loaded from ``teacher.pt`` (see
:func:`train_teacher`). For every one of K fresh seeds: 5 labelled images per class are drawn from the
pool (the other 1,150 are unlabelled), a student is initialised, the submission trains it, and
the judge trains the same initial student on the labels alone with a fixed recipe. The verdict is
the paired comparison: the mean over the K seeds of (distilled − label-only) test accuracy must
reach MARGIN.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from typing import Any

import pytest
import torch

from kdquiz.grading.builders import ModelSpec, build_model, init_state
from kdquiz.grading.suite import Case, fail, seeded

DATA = Path(__file__).with_name("digits.csv.gz")
TEACHER_WEIGHTS = Path(__file__).with_name("teacher.pt")
SPLIT_SEED = 20
TEST_SIZE = 597
PER_CLASS = 5
STUDENT = {"sizes": [64, 32, 10]}
TEACHER = {"sizes": [64, 128, 10], "batchnorm": True}
SEEDS_PER_VERDICT = 6  # K: paired runs per verdict
MARGIN = 0.05  # the mean paired gain in test accuracy a distilled student must reach
CALL_BUDGET_S = 4.0  # one training run (the reference: about 0.5 s on the 2-core machine)

_CACHE: dict[str, Any] = {}


def _data() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_test, y_test, x_pool, y_pool): pixels scaled to [0, 1], a fixed split."""
    if "data" not in _CACHE:
        with gzip.open(DATA, "rt", encoding="ascii") as handle:
            rows = [[float(v) for v in line.split(",")] for line in handle if line.strip()]
        table = torch.tensor(rows)
        x, y = table[:, :64] / 16.0, table[:, 64].long()
        order = torch.randperm(len(x), generator=seeded(SPLIT_SEED))
        test, pool = order[:TEST_SIZE], order[TEST_SIZE:]
        _CACHE["data"] = (x[test], y[test], x[pool], y[pool])
    return _CACHE["data"]


def _accuracy(model: Any, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        return float((model(x).argmax(dim=1) == y).double().mean())


def _teacher_state() -> dict[str, torch.Tensor]:
    """The teacher's weights, from ``teacher.pt`` next to this file (made by
    :func:`train_teacher`; loaded as plain tensors, weights_only)."""
    if "teacher" not in _CACHE:
        _CACHE["teacher"] = torch.load(TEACHER_WEIGHTS, weights_only=True)
    return _CACHE["teacher"]


def train_teacher() -> dict[str, torch.Tensor]:
    """How ``teacher.pt`` was made: the teacher trained on the whole pool from fixed seeds (Adam,
    lr 1e-2, 200 steps of 256 images); 98.5 % on the held-out test set. Shipped rather than
    trained at every grading (1-4 s on the 2-core machine). Regenerate with
    ``python exercises/capstone_digits/test_hidden.py``."""
    _, _, x_pool, y_pool = _data()
    model, _ = build_model(ModelSpec("mlp", TEACHER, init_state("mlp", TEACHER, 1)))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    order = seeded(3)
    model.train()
    for _ in range(200):
        batch = torch.randint(0, len(x_pool), (256,), generator=order)
        loss = torch.nn.functional.cross_entropy(model(x_pool[batch]), y_pool[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _draw(seed: int) -> tuple[ModelSpec, ModelSpec, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(student, teacher, x_labelled, y_labelled, x_unlabelled) for one seed. The teacher is
    handed over in train mode: freezing it is the submission's job."""
    _, _, x_pool, y_pool = _data()
    g = seeded(seed)
    chosen = []
    for digit in range(10):
        candidates = (y_pool == digit).nonzero().squeeze(1)
        chosen.append(candidates[torch.randperm(len(candidates), generator=g)[:PER_CLASS]])
    labelled = torch.cat(chosen)
    rest = torch.ones(len(x_pool), dtype=torch.bool)
    rest[labelled] = False
    student = ModelSpec("mlp", STUDENT, init_state("mlp", STUDENT, seed + 1))
    teacher = ModelSpec("mlp", TEACHER, _teacher_state(), train=True)
    return student, teacher, x_pool[labelled], y_pool[labelled], x_pool[rest]


def _label_only(student: ModelSpec, x: torch.Tensor, y: torch.Tensor) -> float:
    """The baseline: the same initial student, trained on the labels alone (Adam, lr 1e-2, 150
    full-batch steps), its test accuracy."""
    x_test, y_test, _, _ = _data()
    model, _ = build_model(student)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(150):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return _accuracy(model, x_test, y_test)


def _test_accuracy(state: dict[str, Any], student: ModelSpec) -> float:
    x_test, y_test, _, _ = _data()
    model, _ = build_model(ModelSpec("mlp", STUDENT, state))
    return _accuracy(model, x_test, y_test)


def _verdict_seeds(seed: int) -> list[int]:
    g = seeded(seed)
    return [int(s) for s in torch.randint(0, 2**31 - 1, (SEEDS_PER_VERDICT,), generator=g)]


def paired_gains(train: Any, seed: int) -> tuple[list[float], list[float], list[float]]:
    """(distilled accuracies, label-only accuracies, call durations) over the K seeds drawn from
    ``seed``. ``train(student, teacher, xl, yl, xu, seed)`` returns the trained student's state.
    Shared with the stability measurement (docs/exercises.md)."""
    distilled, baseline, durations = [], [], []
    for run_seed in _verdict_seeds(seed):
        student, teacher, xl, yl, xu = _draw(run_seed)
        started = time.monotonic()
        state = train(student, teacher, xl, yl, xu, run_seed)
        durations.append(time.monotonic() - started)
        distilled.append(_test_accuracy(state, student))
        baseline.append(_label_only(student, xl, yl))
    return distilled, baseline, durations


def _remote(submission: Any) -> Any:
    def train(student, teacher, xl, yl, xu, seed):  # type: ignore[no-untyped-def]
        result = submission.distill.call(student, teacher, xl, yl, xu, seed)
        if result.value is not None:
            fail(
                f"distill returned a {type(result.value).__name__}: it trains the student in "
                "place and returns None",
                f"distill 返回了 {type(result.value).__name__}：它应原地训练学生并返回 None",
            )
        return result.objects[0]["state"]

    return train


def _case(seed_count: int) -> Case:
    return Case(
        f"{seed_count} seeds, {PER_CLASS} labelled images per class, 1150 unlabelled, "
        f"{TEST_SIZE} held-out test images",
        f"{seed_count} 个种子，每类 {PER_CLASS} 张有标签图像，1150 张无标签图像，{TEST_SIZE} 张留出测试图像",
    )


# --- Behaviour ----------------------------------------------------------------------------------


@pytest.mark.feedback(
    en="train the student you are given, in place (its parameters change), and return None",
    zh="原地训练传进来的学生（它的参数要发生变化），并返回 None",
    hint=1,
)
def test_trains_the_student(submission: Any, seeds: list[int]) -> None:
    """Trains the given student in place and returns None

    zh: 原地训练传进来的学生并返回 None
    """
    student, teacher, xl, yl, xu = _draw(seeds[0])
    state = _remote(submission)(student, teacher, xl, yl, xu, seeds[0])
    assert student.state is not None
    moved = max(
        float((state[k].double() - v.double()).abs().max())
        for k, v in student.state.items()
        if k in state and type(state[k]) is torch.Tensor and state[k].shape == v.shape
    )
    if moved == 0.0:
        fail(
            "the student's weights did not change: nothing was trained",
            "学生的权重没有任何变化：什么都没有训练",
        )


@pytest.mark.feedback(
    en="the teacher is frozen: teacher.eval() (it has BatchNorm and is handed over in train "
    "mode), its forward passes under torch.no_grad(), nothing that updates it",
    zh="教师是冻结的：teacher.eval()（它带 BatchNorm，传进来时处于训练模式），前向传播放在 "
    "torch.no_grad() 里，任何东西都不能更新它",
    hint=2,
)
def test_teacher_is_frozen(submission: Any, seeds: list[int]) -> None:
    """The teacher runs in eval mode without autograd and is unchanged

    zh: 教师在 eval 模式下不求导地运行，并且保持不变
    """
    student, teacher, xl, yl, xu = _draw(seeds[1])
    result = submission.distill.call(student, teacher, xl, yl, xu, seeds[1])
    report = result.objects[1]
    forwards = report["forwards"]
    if not forwards:
        fail(
            "the teacher was never run: distillation needs its outputs",
            "教师从未被调用：蒸馏需要它的输出",
        )
    bad = sum(1 for f in forwards if not f["eval"] or f["grad_enabled"])
    if bad:
        fail(
            f"{bad} of the teacher's {len(forwards)} forward passes ran in train mode or with "
            "autograd",
            f"教师的 {len(forwards)} 次前向传播中有 {bad} 次处于训练模式或开启了自动求导",
        )
    assert teacher.state is not None
    for key, want in teacher.state.items():
        got = report["state"].get(key)
        if type(got) is not torch.Tensor or not torch.equal(got, want):
            fail(f"the teacher's {key} changed", f"教师的 {key} 被改变了")


# --- The statistical verdict ---------------------------------------------------------------------


@pytest.mark.feedback(
    en="the few labels alone cannot get there: use the teacher on the unlabelled images (its "
    "softened outputs as targets, T around 4, most of the weight on that term), and train long "
    "enough (the reference: Adam lr 1e-2, 150 steps of 256 unlabelled images)",
    zh="只靠这么少的标签做不到：要在无标签图像上使用教师（以它软化后的输出为目标，T 取 4 左右，"
    "大部分权重放在这一项上），并且训练足够久（参考实现：Adam lr 1e-2，150 步，每步 256 张无标签图像）",
    hint=2,
)
def test_beats_label_only_training(submission: Any, seeds: list[int]) -> None:
    """The distilled student beats label-only training by the margin, paired over seeds

    zh: 在成对比较中，蒸馏得到的学生比只用标签训练的学生高出规定的幅度
    """
    distilled, baseline, _ = paired_gains(_remote(submission), seeds[2])
    gains = [d - b for d, b in zip(distilled, baseline, strict=True)]
    mean_gain = sum(gains) / len(gains)
    if mean_gain < MARGIN:
        mean_d = sum(distilled) / len(distilled)
        mean_b = sum(baseline) / len(baseline)
        case = _case(len(gains))
        fail(
            f"mean test accuracy {mean_d:.3f} against {mean_b:.3f} for label-only training on "
            f"{case.en}: a mean paired gain of {mean_gain:+.3f}, below the required "
            f"{MARGIN:+.3f}",
            f"平均测试准确率 {mean_d:.3f}，只用标签训练为 {mean_b:.3f}（{case.zh}）：成对提升的平均值为 "
            f"{mean_gain:+.3f}，低于要求的 {MARGIN:+.3f}",
        )


@pytest.mark.feedback(
    en=f"one training run must take at most {CALL_BUDGET_S:g} s here; the reference takes about "
    "0.5 s (150 steps): compute the teacher's outputs once, and keep the number of steps modest",
    zh=f"在这里一次训练最多只能用 {CALL_BUDGET_S:g} 秒；参考实现大约 0.5 秒（150 步）："
    "教师的输出只算一次，步数也要适度",
    hint=3,
)
def test_time_budget(submission: Any, seeds: list[int]) -> None:
    """One training run stays within the time budget

    zh: 一次训练不超出时间预算
    """
    student, teacher, xl, yl, xu = _draw(seeds[3])
    started = time.monotonic()
    submission.distill(student, teacher, xl, yl, xu, seeds[3])
    elapsed = time.monotonic() - started
    if elapsed > CALL_BUDGET_S:
        fail(
            f"one training run took {elapsed:.1f} s, over the budget of {CALL_BUDGET_S:g} s",
            f"一次训练用了 {elapsed:.1f} 秒，超出了 {CALL_BUDGET_S:g} 秒的预算",
        )


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.save(train_teacher(), TEACHER_WEIGHTS)
