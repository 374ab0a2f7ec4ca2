"""Find English sentences in what a learner working in Chinese reads.

A line is flagged when, once code, identifiers, paths, numbers, formulas and proper names are
taken out, it still holds English words: two or more on a line with no Chinese, three or more
in a row inside a Chinese line ("B=7, C=7, temperature and alpha not passed").
Fenced code blocks, docstrings and lines of code (also behind a code view's line numbers) are
skipped: code stays as it is.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Taken out before counting words: `code`, $math$, URLs, paths/identifiers with _ . / ( ) = or
# digits, options (--flag), key names in brackets.
_NOT_PROSE = [
    re.compile(r"《[^》]*(》|$)|^[^《]*》"),  # a title (a paper's name stays as it is)
    re.compile(r"“[^”]*(”|$)|^[^“]*”"),  # a quoted name (a dataset's, a paper's)
    re.compile(r"（[^（）]*[A-Za-z][^（）]*(）|$)"),  # an English gloss in full-width brackets
    re.compile(r"`[^`]*`"),
    re.compile(r"\$[^$]*\$"),
    re.compile(r"https?://\S+"),
    re.compile(r"\S*[_/\\=\[\]{}<>|@#]\S*"),
    re.compile(r"\S*\d\S*"),
    re.compile(r"\S+\.\S+"),  # dotted names: F.kl_div, torch.float32, file.py
    re.compile(r"\S+\(\S*"),  # calls: loss(...)
    re.compile(r"--?[A-Za-z][\w-]*"),
]
# A line of code shown in a statement (Rich renders code blocks without their fences).
CODE_LINE = re.compile(
    r"^\s*(def |class |import |from \S+ import |return |raise |with |for |if |@|#|>>> )"
    r"|^\s*[\w.\[\]]+\s*=\s*\S"  # an assignment
    r"|^\s*[\w.]+\(.*\)\s*(->\s*[\w\[\], .]+)?:?\s*$"  # a call or a signature
    r"|^\s*[\w.]+,?\s*$|^\s*[)\]}]"  # a lone identifier, a closing bracket
    r"|^\s*[\w.]+\(.*,\s*$"  # a call or signature that goes on on the next line
    r"|^[^\u3400-\u9fff]*[Σ‖∑∂√≈≤≥]"  # a formula (no Chinese on the line)
    r"|^\s*\S.*\S {2,}# "  # a statement with a comment after it
)
# The line number a code view draws before each line of code.
GUTTER = re.compile(r"^\s*\d+ (?=\s*\S)")
WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?|a|A|I")
# Proper names and terms that stay as they are in Chinese text (docs/glossary.md).
NAMES = {
    "kdquiz",
    "PyTorch",
    "Python",
    "NumPy",
    "Hinton",
    "Textual",
    "Anki",
    "Gradescope",
    "GitHub",
    "Classroom",
    "Actions",
    "Jupyter",
    "Kullback",
    "Leibler",
    "Jensen",
    "Shannon",
    "FitNets",
    "FitNet",
    "MiniLM",
    "DistilBERT",
    "TinyBERT",
    "DeiT",
    "Noisy",
    "Student",
    "Adam",
    "Softmax",
    "softmax",
    "logits",
    "logit",
    "argmax",
    "batch",
    "Kaiming",
    "Xavier",
    "LayerNorm",
    "BatchNorm",
    "Transformer",
    "Enter",
    "Tab",
    "Esc",
    "Ctrl",
    "Shift",
    "Space",
    "Backspace",
    "Minitron",
    "Sheared",
    "LLaMA",
    "Llama",
    "Qwen",
    "Gemma",
    "Mistral",
    "GPT",
    "Teacher",
    "Assistant",
    "Chen",
    "Zhao",
    "Huang",
    "Sun",
    "Park",
    "Tung",
    "Mori",
    "Zagoruyko",
    "Komodakis",
    "Romero",
    "Furlanello",
    "Born",
    "Again",
    "Networks",
    "Yuan",
    "Agarwal",
    "Gu",
    "Kim",
    "Rush",
    "strict",
    "basic",
    "auto",
    "nan",
    "inf",
    "bool",
    "int",
    "float",
    "str",
    "None",
    "True",
    "False",
    "Tensor",
    "tensor",
}


def prose_words(line: str) -> list[list[str]]:
    """Runs of English words in ``line`` (consecutive, separated only by spaces/commas)."""
    text = line
    for pattern in _NOT_PROSE:
        text = pattern.sub(" \x00 ", text)
    runs: list[list[str]] = []
    current: list[str] = []
    for token in re.split(r"(\s+|[,;:!?()（），。；：！？、“”\"'])", text):
        if not token or token.isspace() or token in (",",):
            continue
        if WORD.fullmatch(token) and token not in NAMES:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def english_lines(text: str) -> list[str]:
    """The lines of ``text`` that read as English prose."""
    found: list[str] = []
    fenced = docstring = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        code = GUTTER.sub("", line)
        quotes = code.count('"""') + code.count("'''")
        if docstring or quotes:  # a docstring in shown code is code
            docstring = docstring != (quotes % 2 == 1)
            continue
        if fenced or CODE_LINE.search(line) or CODE_LINE.search(code):
            continue
        runs = prose_words(line)
        longest = max((len(r) for r in runs), default=0)
        total = sum(len(r) for r in runs)
        if (CJK.search(line) is None and total >= 2) or longest >= 3:
            found.append(line.strip())
    return found
