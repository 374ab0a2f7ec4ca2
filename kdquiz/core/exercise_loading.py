"""Loading the exercises of a content tree: ``exercises/info.yaml`` (the order), each
``exercises/ID/exercise.yaml`` and the files it names (statements, starter, suite, reference,
mutants, alternatives), each problem reported at its file and line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from kdquiz.core.checker import FileChecker, read_yaml, todo_warnings
from kdquiz.core.models import CourseInfo, Exercise
from kdquiz.core.problems import Problem, did_you_mean, display_path
from kdquiz.core.tree import COURSE_INFO, EXERCISE_FILE, Content, LoadedExercise


def load_exercises(root: Path, content: Content) -> None:
    """Add the exercises of ``root`` to ``content`` in the order ``info.yaml`` gives (an
    extending tree's exercises after the bundled ones; the same id replaces)."""
    folder = root / "exercises"
    if not folder.is_dir():
        return
    info_path = folder / COURSE_INFO
    info_chk = FileChecker(info_path, root)
    order = _read_order(info_path, info_chk, content)
    loaded: dict[str, LoadedExercise] = {}
    for ex_dir in sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        ex = _load_exercise(ex_dir, root, content)
        if ex is not None:
            loaded[ex.id] = ex
            if content.extends and ex.id in content.exercises:
                content.problems.append(
                    Problem(
                        display_path(ex_dir / EXERCISE_FILE, root),
                        1,
                        1,
                        f"exercise '{ex.id}' replaces the bundled exercise of that id "
                        "(rename its folder and id to add a new one instead)",
                        "warning",
                    )
                )
    seen = _check_order(order, loaded, info_path.is_file(), info_chk, content)
    content.problems.extend(info_chk.problems)
    ordered = [i for i in order if i in loaded] + [i for i in loaded if i not in seen]
    content.exercises = {**content.exercises, **{i: loaded[i] for i in ordered}}


def _read_order(info_path: Path, info_chk: FileChecker, content: Content) -> list[str]:
    """The ``order`` of ``info.yaml`` (its ``planned`` list goes into ``content``)."""
    if not info_path.is_file():
        if not content.extends:
            info_chk.add((), "missing exercises/info.yaml (the list of exercise ids in order)")
        return []
    data = read_yaml(info_path, info_chk)
    if data is None:
        return []
    try:
        info = CourseInfo.model_validate(data)
    except ValidationError as exc:
        info_chk.add_validation_error(exc)
        return []
    content.planned_exercises = list(info.planned)
    return info.order


def _load_exercise(ex_dir: Path, root: Path, content: Content) -> LoadedExercise | None:
    """One exercise folder, its problems added to ``content``; None if it does not load."""
    meta_path = ex_dir / EXERCISE_FILE
    chk = FileChecker(meta_path, root)
    ex = None
    if not meta_path.is_file():
        chk.add((), f"exercise folder '{ex_dir.name}' has no {EXERCISE_FILE}")
    else:
        data = read_yaml(meta_path, chk)
        meta = None
        if data is not None:
            try:
                meta = Exercise.model_validate(data)
            except ValidationError as exc:
                chk.add_validation_error(exc)
        if meta is not None:
            if meta.id != ex_dir.name:
                chk.add(
                    ("id",),
                    f"id '{meta.id}' differs from its folder name '{ex_dir.name}': "
                    "rename one to match the other",
                )
                # Loaded under its folder's name (what info.yaml and questions refer to), so
                # one wrong id is one error, not one more for every place that names it.
                meta = meta.model_copy(update={"id": ex_dir.name})
            ex = LoadedExercise(meta, ex_dir, root / "solutions" / ex_dir.name)
            _check_exercise_files(ex, chk)
            if meta.interview is None:
                chk.add(
                    (),
                    "no 'interview' block: interview mode cannot pose this exercise (add a "
                    "prompt in en and zh and at least 3 clarifications, see docs/interview.md)",
                    "warning",
                )
            chk.problems.extend(todo_warnings(meta_path, root))
            for name in meta.statement.values():
                chk.problems.extend(todo_warnings(ex_dir / name, root))
    content.problems.extend(chk.problems)
    return ex


def _check_order(
    order: list[str],
    loaded: dict[str, LoadedExercise],
    has_info: bool,
    info_chk: FileChecker,
    content: Content,
) -> set[str]:
    """Every id in ``order`` exists once, and every exercise is ordered (or planned)."""
    seen: set[str] = set()
    for index, ex_id in enumerate(order):
        if ex_id not in loaded:
            info_chk.add(
                ("order", index), f"unknown exercise '{ex_id}'{did_you_mean(ex_id, loaded)}"
            )
        elif ex_id in seen:
            info_chk.add(("order", index), f"exercise '{ex_id}' is listed twice")
        seen.add(ex_id)
    planned = set(content.planned_exercises)
    for ex_id in loaded:
        if ex_id in seen or not has_info:
            continue
        if ex_id in planned:
            info_chk.add(
                ("planned",),
                f"exercise '{ex_id}' is written but still planned: move it to 'order' when it is done",
                "warning",
            )
        else:
            info_chk.add(("order",), f"exercise '{ex_id}' is missing from the order list")
    return seen


def _check_exercise_files(ex: LoadedExercise, chk: FileChecker) -> None:
    meta = ex.meta
    for lang, name in meta.statement.items():
        if not (ex.folder / name).is_file():
            chk.add(("statement", lang), f"statement file '{name}' not found in {ex.folder.name}/")
    for lang in ("en", "zh"):
        if lang not in meta.statement:
            chk.add(
                ("statement",),
                f"missing {'English' if lang == 'en' else 'Chinese'} statement ('{lang}')",
            )
    for key, path in (
        ("starter", ex.starter_path),
        ("suite", ex.suite_path),
        ("reference", ex.reference_path),
    ):
        if not path.is_file():
            chk.add(
                (key,),
                f"{key} file not found: {path.name} (expected at {display_path(path, ex.folder.parent.parent)})",
            )
    listed: dict[str, int] = {}
    for index, mutant in enumerate(meta.mutants):
        if mutant.file in listed:
            chk.add(
                ("mutants", index, "file"),
                f"mutant '{mutant.file}' is listed twice (first as mutants[{listed[mutant.file]}])",
            )
        listed.setdefault(mutant.file, index)
        if not ex.mutant_path(mutant.file).is_file():
            chk.add(
                ("mutants", index, "file"),
                f"mutant file not found: solutions/{meta.id}/mutants/{mutant.file}",
            )
    mutants_dir = ex.solution_folder / "mutants"
    if mutants_dir.is_dir():
        for path in sorted(mutants_dir.glob("*.py")):
            if path.name not in listed:
                chk.add(
                    ("mutants",),
                    f"solutions/{meta.id}/mutants/{path.name} is not listed under 'mutants': "
                    "list it with its misconception (or delete it), or 'kdquiz dev check' "
                    "never proves it fails",
                    "warning",
                )
    for index, alt in enumerate(meta.alternatives):
        if not ex.alternative_path(alt.file).is_file():
            chk.add(
                ("alternatives", index, "file"),
                f"alternative not found: solutions/{meta.id}/alternatives/{alt.file}",
            )
    if ex.suite_path.is_file():
        root = ex.folder.parent.parent
        chk.problems.extend(suite_problems(ex.suite_path, display_path(ex.suite_path, root)))
    if ex.starter_path.is_file():
        from kdquiz.core import starters

        source = ex.starter_path.read_text(encoding="utf-8")
        shown = display_path(ex.starter_path, ex.folder.parent.parent)
        for problem in starters.check(source, [fn.name for fn in meta.functions]):
            content_problem = Problem(shown, problem.line, 1, problem.message, "error")
            chk.problems.append(content_problem)


def suite_problems(path: Path, shown: str) -> list[Problem]:
    """What can be seen of a hidden suite without running it: it parses, and no two of its
    tests share a title (results, the CSV's columns and the cohort report are keyed by it).
    Import errors show when the suite runs: ``kdquiz dev check`` reports them at their line."""
    import ast

    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(shown, 0, 0, f"cannot read the hidden suite: {exc}")]
    except SyntaxError as exc:
        return [
            Problem(shown, exc.lineno or 0, exc.offset or 0, f"syntax error: {exc.msg}", "error")
        ]
    problems: list[Problem] = []
    first: dict[str, int] = {}
    functions = [
        n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for node in functions:
        if not node.name.startswith("test"):
            continue
        doc = (ast.get_docstring(node) or "").strip()
        title = doc.splitlines()[0].strip().rstrip(".") if doc else node.name
        if title in first:
            problems.append(
                Problem(
                    shown,
                    node.lineno,
                    node.col_offset + 1,
                    f"test title '{title}' is also the title of the test on line {first[title]}: "
                    "give each test its own first docstring line (results are keyed by it)",
                )
            )
        first.setdefault(title, node.lineno)
        if not any(line.strip().startswith("zh:") for line in doc.splitlines()[1:]):
            problems.append(
                Problem(
                    shown,
                    node.lineno,
                    node.col_offset + 1,
                    f"test '{node.name}' has no Chinese title: add a docstring line "
                    "'zh: 中文标题' (learners working in Chinese see the English one)",
                    "warning",
                )
            )
    return problems
