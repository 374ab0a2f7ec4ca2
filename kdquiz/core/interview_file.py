"""The candidate's file in a mock interview: the exercise's signature and a one-line docstring
under the interviewer's prompt, written once into the workspace (never over the practice file)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from kdquiz.core.interview import Session, save

if TYPE_CHECKING:
    from kdquiz.core.content import Content, LoadedExercise


# -- the candidate's file -----------------------------------------------------------------------
def interview_file_text(exercise: LoadedExercise, lang: str, header: list[str]) -> str:
    """The file the candidate starts from: the starter's imports and helpers, and each function
    to implement reduced to its signature, the first paragraph of its docstring and ``raise
    NotImplementedError`` (the starter's step-by-step comments and argument lists would be the
    checklist an interview does not give). ``header`` lines open the file as comments."""
    from kdquiz.core import starters

    source = starters.render(exercise.starter_path.read_text(encoding="utf-8"), lang)
    lines = source.splitlines()
    tree = ast.parse(source)
    wanted = {fn.name for fn in exercise.meta.functions}
    out = [f"# {line}".rstrip() for line in header] + [""]
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the module docstring tells the starter's story: the header replaces it
    previous_end = 0
    for node in body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if (
            out
            and out[-1] != ""
            and (first - previous_end > 1 or isinstance(node, ast.FunctionDef))
        ):
            out.extend([""] * (2 if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else 1))
        if isinstance(node, ast.FunctionDef) and node.name in wanted:
            out.extend(_skeleton(node, lines, first))
        else:
            out.extend(lines[first - 1 : node.end_lineno])
        previous_end = node.end_lineno or node.lineno
    return "\n".join(out).rstrip() + "\n"


def _skeleton(node: ast.FunctionDef, lines: list[str], first: int) -> list[str]:
    doc = ast.get_docstring(node)
    body_start = node.body[0].lineno
    signature = lines[first - 1 : body_start - 1]
    indent = " " * (node.body[0].col_offset)
    out = list(signature)
    if doc:
        summary = doc.split("\n\n")[0].strip().rstrip(":")
        if summary and not summary.endswith((".", "。")):
            summary += "。" if any("\u4e00" <= ch <= "\u9fff" for ch in summary) else "."
        summary_lines = summary.splitlines()
        if len(summary_lines) == 1:
            out.append(f'{indent}"""{summary_lines[0]}"""')
        else:
            out.append(f'{indent}"""{summary_lines[0]}')
            out.extend(f"{indent}{line}".rstrip() for line in summary_lines[1:])
            out.append(f'{indent}"""')
    out.append(f"{indent}raise NotImplementedError")
    return out


def prepare_coding_file(session: Session, index: int, content: Content) -> Path:
    """The candidate's file for the coding step, written once (a resumed session keeps it) in
    ``interview/<session id>/`` of the workspace, never over their practice file."""
    from kdquiz.core import workspace
    from kdquiz.core.i18n import t

    step = session.steps[index]
    if step.file:
        return Path(step.file)
    exercise = content.exercises[step.item_id]
    meta, lang = exercise.meta, session.lang
    assert meta.interview is not None
    header = [t("iv.file.title", lang, exercise=meta.title.get(lang)), ""]
    header += wrap_display(meta.interview.prompt.get(lang), 86)
    header += ["", t("iv.file.how", lang)]
    path = workspace.workspace_dir() / "interview" / session.id / f"{exercise.id}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(interview_file_text(exercise, lang, header), encoding="utf-8")
    step.file = str(path)
    save(session)
    return path


def wrap_display(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns: Chinese counts two columns a character and
    breaks between characters, other text breaks at spaces."""
    import unicodedata

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for char in paragraph:
            size = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
            if used + size > width and line:
                cut = line.rfind(" ")
                if size == 1 and cut > 0 and not line[-1].isspace():
                    lines.append(line[:cut].rstrip())
                    line = line[cut + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                used = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)
            if line or not char.isspace():
                line += char
                used += size
        lines.append(line.rstrip())
    return lines
