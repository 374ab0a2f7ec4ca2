"""The Chinese content follows docs/glossary.md.

The glossary's Terms table lists, for each idea, its Chinese term and the forms to avoid: other
translations, and the English term left untranslated. This test reads that table (the glossary is
the only list) and scans every Chinese text of the bundled content: the `zh` fields of questions
and exercise.yaml files, the Chinese statements, the Chinese strings of the hidden suites (titles,
feedback, case descriptions) and the `[zh]` lines of the starters. Code spans and code blocks are
skipped, and an English term is accepted as a gloss right after its Chinese term
(同策略（on-policy）).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
GLOSS_WINDOW = 12
"""How many characters before an English term its Chinese term may stand for it to be a gloss."""


@dataclass(frozen=True)
class Term:
    english: str
    chinese: tuple[str, ...]
    """The Chinese words of the term's 中文 column (an English gloss may follow them)."""
    avoid: tuple[str, ...]


def glossary_terms(text: str) -> list[Term]:
    """The rows of the table under '## Terms'."""
    section = text.split("\n## Terms", 1)[1]
    terms: list[Term] = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not line.startswith("|") or set(cells[0]) <= {"-", " "}:
            continue
        if cells[0] == "English":
            continue
        terms.append(
            Term(
                english=cells[0],
                chinese=tuple(re.findall(r"[\u4e00-\u9fff]+", cells[1])),
                avoid=tuple(re.findall(r"`([^`]+)`", cells[2])),
            )
        )
    return terms


def strip_code(text: str) -> str:
    """The text without fenced code blocks and inline code spans (code stays as written)."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    return re.sub(r"`[^`\n]*`", " ", text)


def violations(text: str, terms: list[Term]) -> list[str]:
    """Each avoided form in a Chinese text, with a little context."""
    prose = strip_code(text)
    found: list[str] = []
    for term in terms:
        for form in term.avoid:
            if CJK.search(form):
                matches = [m.start() for m in re.finditer(re.escape(form), prose)]
            else:
                pattern = rf"(?<![\w-]){re.escape(form)}(?![\w-])"
                matches = [
                    m.start()
                    for m in re.finditer(pattern, prose)
                    if not any(
                        zh in prose[max(0, m.start() - GLOSS_WINDOW) : m.start()]
                        for zh in term.chinese
                    )
                ]
            for start in matches:
                context = prose[max(0, start - 15) : start + len(form) + 15].replace("\n", " ")
                found.append(f"'{form}' (use {'/'.join(term.chinese)}): …{context}…")
    return found


def _yaml_zh(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "zh" and isinstance(value, str):
                yield value
            else:
                yield from _yaml_zh(value)
    elif isinstance(node, list):
        for value in node:
            yield from _yaml_zh(value)


def _suite_zh(source: str) -> Iterator[str]:
    """Every string constant of a suite that holds Chinese (titles, feedback, cases)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            titles = re.findall(r"^\s*zh[:：](.*)$", node.value, flags=re.M)
            if titles:  # a test's docstring: its English lines are not Chinese text
                yield from titles
            elif CJK.search(node.value):
                yield node.value


def _starter_zh(source: str) -> Iterator[str]:
    for line in source.splitlines():
        if re.match(r"^\s*(#\s*)?\[zh\]", line):
            yield line


def zh_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(file, Chinese text) for all the content under root."""
    for path in sorted((root / "questions").glob("*.yaml")):
        for text in _yaml_zh(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield path.relative_to(root).as_posix(), text
    for folder in sorted(p for p in (root / "exercises").iterdir() if p.is_dir()):
        name = folder.relative_to(root).as_posix()
        meta = folder / "exercise.yaml"
        if meta.is_file():
            for text in _yaml_zh(yaml.safe_load(meta.read_text(encoding="utf-8"))):
                yield f"{name}/exercise.yaml", text
        for statement in sorted(folder.glob("*.zh.md")):
            yield statement.relative_to(root).as_posix(), statement.read_text(encoding="utf-8")
        for suite in sorted(folder.glob("test_*.py")):
            for text in _suite_zh(suite.read_text(encoding="utf-8")):
                yield suite.relative_to(root).as_posix(), text
        starter = folder / "starter.py"
        if starter.is_file():
            for text in _starter_zh(starter.read_text(encoding="utf-8")):
                yield f"{name}/starter.py", text


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    return glossary_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_fixes_the_core_terms(terms: list[Term]) -> None:
    chinese = {term.english: term.chinese for term in terms}
    for english, zh in [
        ("soft targets", "软目标"),
        ("dark knowledge", "暗知识"),
        ("temperature (T)", "温度"),
        ("teacher (model)", "教师"),
        ("student (model)", "学生"),
        ("on-policy", "同策略"),
        ("off-policy", "异策略"),
        ("mode-covering (mass-covering)", "模式覆盖"),
        ("mode-seeking", "模式寻求"),
    ]:
        assert zh in chinese[english], english
    assert sum(len(term.avoid) for term in terms) >= 40


def test_checker_flags_untranslated_terms_and_variants(terms: list[Term]) -> None:
    assert violations("GKD 使用 on-policy 数据训练学生。", terms)
    assert violations("学生在策略上采样。", terms)
    assert violations("更准确的教师不一定是更好的老师。", terms)
    # A gloss after the Chinese term, code spans and identifiers are fine.
    assert not violations("GKD 使用同策略（on-policy）数据训练学生。", terms)
    assert not violations("见 `llm-gkd-on-policy` 题和 `soft targets` 变量。", terms)
    assert not violations("```\n# on-policy\n```\n教师 logits 用 teacher forcing。", terms)
    assert not violations("见题目 llm-gkd-on-policy。", terms)


def test_chinese_content_follows_the_glossary(terms: list[Term]) -> None:
    problems = [
        f"{name}: {problem}" for name, text in zh_texts(ROOT) for problem in violations(text, terms)
    ]
    assert not problems, "Chinese text not following docs/glossary.md:\n" + "\n".join(problems)


def test_validate_warns_about_a_test_without_a_chinese_title(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An instructor's suite: a test whose docstring has no `zh:` line is a warning at its line."""
    from kdquiz.core.exercise_loading import suite_problems

    suite = tmp_path / "test_hidden.py"
    suite.write_text(
        'def test_a(submission):\n    """doubles\n\n    zh: 加倍\n    """\n\n\n'
        'def test_b(submission):\n    """rejects a 1-D tensor"""\n'
    )
    problems = suite_problems(suite, "exercises/x/test_hidden.py")
    assert [(p.line, p.severity) for p in problems] == [(8, "warning")]
    assert "test_b" in problems[0].message and "zh:" in problems[0].message
