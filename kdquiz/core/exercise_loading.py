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
    folder = root / "exercises"
    if not folder.is_dir():
        return
    info_path = folder / COURSE_INFO
    order: list[str] = []
    info_chk = FileChecker(info_path, root)
    if info_path.is_file():
        data = read_yaml(info_path, info_chk)
        if data is not None:
            try:
                info = CourseInfo.model_validate(data)
                order = info.order
                content.planned_exercises = list(info.planned)
            except ValidationError as exc:
                info_chk.add_validation_error(exc)
    elif not content.extends:
        info_chk.add((), "missing exercises/info.yaml (the list of exercise ids in order)")
    folders = sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    loaded: dict[str, LoadedExercise] = {}
    for ex_dir in folders:
        meta_path = ex_dir / EXERCISE_FILE
        chk = FileChecker(meta_path, root)
        if not meta_path.is_file():
            chk.add((), f"exercise folder '{ex_dir.name}' has no {EXERCISE_FILE}")
            content.problems.extend(chk.problems)
            continue
        data = read_yaml(meta_path, chk)
        meta = None
        if data is not None:
            try:
                meta = Exercise.model_validate(data)
            except ValidationError as exc:
                chk.add_validation_error(exc)
        if meta is not None:
            if meta.id != ex_dir.name:
                chk.add(("id",), f"id '{meta.id}' differs from its folder name '{ex_dir.name}'")
            ex = LoadedExercise(meta, ex_dir, root / "solutions" / ex_dir.name)
            _check_exercise_files(ex, chk)
            chk.problems.extend(todo_warnings(meta_path, root))
            for name in meta.statement.values():
                chk.problems.extend(todo_warnings(ex_dir / name, root))
            loaded[meta.id] = ex
        content.problems.extend(chk.problems)
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
        if ex_id in seen or not info_path.is_file():
            continue
        if ex_id in planned:
            info_chk.add(
                ("planned",),
                f"exercise '{ex_id}' is written but still planned: move it to 'order' when it is done",
                "warning",
            )
        else:
            info_chk.add(("order",), f"exercise '{ex_id}' is missing from the order list")
    content.problems.extend(info_chk.problems)
    ordered = [i for i in order if i in loaded] + [i for i in loaded if i not in seen]
    # Extending the bundled content: its exercises first, then this tree's (same id: this wins).
    content.exercises = {**content.exercises, **{i: loaded[i] for i in ordered}}


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
    for index, mutant in enumerate(meta.mutants):
        if not ex.mutant_path(mutant.file).is_file():
            chk.add(
                ("mutants", index, "file"),
                f"mutant file not found: solutions/{meta.id}/mutants/{mutant.file}",
            )
    for index, alt in enumerate(meta.alternatives):
        if not ex.alternative_path(alt.file).is_file():
            chk.add(
                ("alternatives", index, "file"),
                f"alternative not found: solutions/{meta.id}/alternatives/{alt.file}",
            )
    if ex.starter_path.is_file():
        from kdquiz.core import starters

        source = ex.starter_path.read_text(encoding="utf-8")
        shown = display_path(ex.starter_path, ex.folder.parent.parent)
        for problem in starters.check(source, [fn.name for fn in meta.functions]):
            content_problem = Problem(shown, problem.line, 1, problem.message, "error")
            chk.problems.append(content_problem)
