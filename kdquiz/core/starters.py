"""Starters in the learner's language, from one bilingual source file.

A starter (``exercises/<id>/starter.py``) holds its code once and its words in both languages:
a line whose text, after its indentation and an optional ``#``, starts with ``[en]`` or ``[zh]``
belongs to that language only; every other line belongs to both::

    def distillation_loss(student_logits, teacher_logits, labels, temperature=4.0, alpha=0.5):
        \"\"\"
        [en] The distillation loss of Hinton et al. (2015).
        [zh] Hinton 等人（2015）的蒸馏损失。
        \"\"\"
        # [en] TODO: F.kl_div wants the student's LOG-probabilities first.
        # [zh] TODO：F.kl_div 的第一个参数是学生的对数概率。
        raise NotImplementedError

:func:`render` gives the file a learner in one language receives (the other language's lines
dropped, the tags removed). Identifiers and code are never translated, so the two renderings
differ only in comments and docstrings: :func:`check` proves that (their syntax trees without
docstrings are identical), so every check of the starter holds for both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("en", "zh")
_TAGGED = re.compile(r"^(?P<indent>[ \t]*)(?P<hash>#[ \t]*)?\[(?P<lang>en|zh)\][ \t]?(?P<rest>.*)$")


def render(source: str, lang: str) -> str:
    """The starter in ``lang``: lines tagged for the other language removed, tags removed."""
    out: list[str] = []
    for line in source.splitlines(keepends=True):
        match = _TAGGED.match(line.rstrip("\r\n"))
        if match is None:
            out.append(line)
            continue
        if match["lang"] != lang:
            continue
        ending = line[len(line.rstrip("\r\n")) :]
        out.append(f"{match['indent']}{match['hash'] or ''}{match['rest']}".rstrip() + ending)
    return "".join(out)


def is_bilingual(source: str) -> bool:
    """Whether the file uses language tags at all (an instructor's starter need not)."""
    return any(_TAGGED.match(line) for line in source.splitlines())


@dataclass(frozen=True)
class StarterProblem:
    """Something wrong with a starter, at a line of the source file."""

    line: int
    message: str


def _tag_runs(source: str) -> list[tuple[int, str]]:
    """(first line, language) of every run of consecutive lines tagged with one language."""
    runs: list[tuple[int, str]] = []
    previous = ""
    for number, line in enumerate(source.splitlines(), start=1):
        match = _TAGGED.match(line)
        lang = match["lang"] if match else ""
        if lang and lang != previous:
            runs.append((number, lang))
        previous = lang
    return runs


def _code_shape(text: str) -> str:
    """The syntax tree without docstrings: what runs."""
    import ast

    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body[0] = ast.Pass()
    return ast.dump(tree, annotate_fields=False)


def check(source: str, functions: list[str]) -> list[StarterProblem]:
    """Problems of a starter: each English run of tagged lines has a Chinese run right after it
    (and the other way round), both renderings parse and define ``functions`` at top level, and
    the two renderings are the same code."""
    import ast

    problems: list[StarterProblem] = []
    runs = _tag_runs(source)
    index = 0
    while index < len(runs):
        line, lang = runs[index]
        partner = runs[index + 1] if index + 1 < len(runs) else None
        if partner is None or partner[1] == lang:
            other = "zh" if lang == "en" else "en"
            problems.append(
                StarterProblem(
                    line, f"[{lang}] lines here have no [{other}] lines right after them"
                )
            )
            index += 1
        else:
            index += 2
    shapes: dict[str, str] = {}
    for lang in LANGS:
        text = render(source, lang)
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            problems.append(
                StarterProblem(exc.lineno or 0, f"the {lang} starter does not parse: {exc.msg}")
            )
            continue
        defined = {
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        }
        for name in functions:
            if name not in defined:
                problems.append(StarterProblem(1, f"the {lang} starter does not define '{name}'"))
        shapes[lang] = _code_shape(text)
    if len(shapes) == 2 and shapes["en"] != shapes["zh"]:
        problems.append(
            StarterProblem(
                1, "the en and zh starters differ in code, not only in comments and docstrings"
            )
        )
    return problems
