"""The scanner that finds English prose in Chinese output (tests/zh_scan.py) is itself right."""

from __future__ import annotations

from .zh_scan import english_lines


def test_flags_english_titles_and_english_runs_inside_chinese() -> None:
    text = "\n".join(
        [
            "  ✗ returns a 0-dim float32 tensor",
            "  ✗ stable for logits of magnitude 100",
            "以上每个失败的测试：B=7, C=7, temperature and alpha not passed",
            "Usage: kdquiz check [OPTIONS] ID",
        ]
    )
    assert len(english_lines(text)) == 4


def test_passes_chinese_with_code_identifiers_formulas_and_names() -> None:
    text = "\n".join(
        [
            "  ✓ 返回 0 维 float32 张量",
            "  ✗ logits 量级为 100 时（T = 1 和 T = 4）数值稳定",
            "提示 1/4：用 `F.kl_div(log_p_student, p_teacher, reduction='batchmean')` 计算软项。",
            "参考 Hinton 等（2015），在 PyTorch 中实现 KL(p_teacher ‖ p_student) × T²。",
            "未通过 0/12 · 1.66s · 隔离级别：strict",
            "```python",
            "def distillation_loss(student_logits, teacher_logits, labels):",
            "    return loss  # the code stays as it is",
            "```",
        ]
    )
    assert english_lines(text) == []


def test_code_lines_of_a_rendered_statement_are_code() -> None:
    text = "\n".join(
        [
            "soft_targets(logits, temperature) -> Tensor",
            "def distillation_loss(student_logits, teacher_logits, labels):",
            "    loss = kd_loss(student, teacher)",
            "    return loss",
        ]
    )
    assert english_lines(text) == []


def test_titles_glosses_and_python_words_are_not_prose() -> None:
    text = "\n".join(
        [
            "Sun 等人（《Logit Standardization in Knowledge Distillation》，CVPR 2024）",
            "广义知识蒸馏（Generalized Knowledge Distillation，GKD，Agarwal 等，ICLR",
            "梯度是 (nan, nan, nan)。",
            "reverse         bool             False：前向 KL；True：反向 KL",
        ]
    )
    assert english_lines(text) == []


def test_wrapped_signatures_formulas_and_quoted_names_are_not_prose() -> None:
    text = "\n".join(
        [
            "train_student(student, teacher, loader, val_loader, optimizer,",
            "kl[b, j]  = KL(q ‖ p) = Σ_v q_v · (log q_v − log p_v)",
            "Recognition of Handwritten Digits”，Alpaydin & Kaynak，1998，CC BY 4.0；即",
        ]
    )
    assert english_lines(text) == []
    assert english_lines("the teacher runs in eval mode") != []  # prose is still prose


def test_a_code_view_with_line_numbers_is_code_but_prose_after_a_number_is_not() -> None:
    code = "\n".join(
        [
            " 4 # the teacher is wider: project it down to the student's width",
            "14 for x, y in loader:",
            " 5     teacher.train()                     # keep dropout on",
            ' 6     """Predictive distribution of a deep ensemble: the average',
            ' 7     of its members\' probabilities."""',
        ]
    )
    assert english_lines(code) == []
    assert english_lines("4 questions are due today") == ["4 questions are due today"]
    assert english_lines(code + "\nthe quiz is over") == ["the quiz is over"]  # after the code
