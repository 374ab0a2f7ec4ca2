"""Loading and validating a content tree: questions/, exercises/ and solutions/.

``load_content`` never raises for bad content: it returns what loaded cleanly together with every
problem found (file, line, column, message), so ``kdquiz validate`` can report them all at once.
"""

from __future__ import annotations

import gc
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kdquiz.core import cache as cache_mod
from kdquiz.core import formula as formula_mod
from kdquiz.core.models import (
    Bibliography,
    ContentManifest,
    CourseInfo,
    Exercise,
    Question,
    QuestionType,
    Reference,
    Text,
    TopicFile,
)
from kdquiz.core.problems import Problem, did_you_mean, display_path
from kdquiz.core.yamlsrc import Parsed, SourceMap, YamlError, parse_yaml

BIBLIOGRAPHY = "bibliography.yaml"
COURSE_INFO = "info.yaml"
EXERCISE_FILE = "exercise.yaml"

# Every key any content model accepts, for "did you mean" on unknown keys.
_MODELS: tuple[type[BaseModel], ...] = (TopicFile, Question, Exercise, CourseInfo, Bibliography)


def _all_field_names() -> set[str]:
    names: set[str] = set()
    stack: list[type[BaseModel]] = list(_MODELS)
    seen: set[type] = set()
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            for arg in _model_args(info.annotation):
                stack.append(arg)
    return names


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_model_args(arg))
    return found


@dataclass
class LoadedExercise:
    """An exercise's metadata with the absolute paths of its files."""

    meta: Exercise
    folder: Path
    solution_folder: Path

    @property
    def id(self) -> str:
        return self.meta.id

    def statement_path(self, lang: str) -> Path:
        return self.folder / self.meta.statement["zh" if lang == "zh" else "en"]

    def statement(self, lang: str) -> str:
        return self.statement_path(lang).read_text(encoding="utf-8")

    @property
    def starter_path(self) -> Path:
        return self.folder / self.meta.starter

    @property
    def suite_path(self) -> Path:
        return self.folder / self.meta.suite

    @property
    def reference_path(self) -> Path:
        return self.solution_folder / self.meta.reference

    def mutant_path(self, file: str) -> Path:
        return self.solution_folder / "mutants" / file

    def alternative_path(self, file: str) -> Path:
        return self.solution_folder / "alternatives" / file


@dataclass
class Content:
    """A loaded content tree and every problem found in it."""

    root: Path
    topics: dict[str, TopicFile] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    question_files: dict[str, Path] = field(default_factory=dict)
    bibliography: dict[str, Reference] = field(default_factory=dict)
    exercises: dict[str, LoadedExercise] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extends: bool = False
    planned_exercises: list[str] = field(default_factory=list)
    # Questions whose references are checked once every file is loaded.
    _pending_refs: list[tuple[Question, tuple[str | int, ...], _FileChecker]] = field(
        default_factory=list, repr=False
    )

    @property
    def learner_exercises(self) -> dict[str, LoadedExercise]:
        """The exercises offered to learners: written and not still marked planned."""
        planned = set(self.planned_exercises)
        return {i: ex for i, ex in self.exercises.items() if i not in planned}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def topic_of(self, question: Question) -> str:
        return question.topic or ""

    def topic_title(self, topic: str, lang: str) -> str:
        found = self.topics.get(topic)
        return found.title.get(lang) if found else topic


class _FileChecker:
    """Collects problems for one file, turning paths into line numbers.

    The line numbers come from the file's source map, built only when a problem is added: from
    the node tree of the parse while the file is being checked, later (a cross-file problem in a
    file that was cached or already released) by parsing the file again.
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.shown = display_path(path, root)
        self.parsed: Parsed | None = None
        self.problems: list[Problem] = []

    @property
    def smap(self) -> SourceMap:
        if self.parsed is None:
            try:
                self.parsed = parse_yaml(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, YamlError):
                self.parsed = Parsed(None, None)
        return self.parsed.source_map

    def release(self) -> None:
        """Drop the node tree (a map already built is kept)."""
        if self.parsed is not None:
            smap = self.parsed._smap
            self.parsed = None if smap is None else Parsed(None, None, smap)

    def add(
        self,
        loc: tuple[str | int, ...],
        message: str,
        severity: str = "error",
        at_key: bool = False,
    ) -> None:
        line, column = self.smap.locate_key(loc) if at_key else self.smap.locate(loc)
        self.problems.append(Problem(self.shown, line, column, message, severity))

    def add_validation_error(
        self, error: ValidationError, prefix: tuple[str | int, ...] = ()
    ) -> None:
        names = _FIELD_NAMES
        for err in error.errors(include_url=False):
            loc = (*prefix, *err["loc"])
            where = ".".join(str(part) for part in loc) or "file"
            kind = err["type"]
            if kind == "extra_forbidden":
                key = str(loc[-1])
                self.add(loc, f"unknown key '{key}'{did_you_mean(key, names)}", at_key=True)
            elif kind == "missing":
                missing = str(loc[-1])
                if missing in ("en", "zh"):
                    lang = "English" if missing == "en" else "Chinese"
                    parent = ".".join(str(p) for p in loc[:-1])
                    self.add(loc[:-1], f"{parent}: missing {lang} text ('{missing}')")
                else:
                    self.add(loc[:-1], f"{where}: required key '{missing}' is missing")
            else:
                message = f"{where}: {err['msg']}"
                if kind in ("enum", "literal_error") and isinstance(err.get("input"), str):
                    options = re.findall(
                        r"'([^']*)'", str((err.get("ctx") or {}).get("expected", ""))
                    )
                    message += did_you_mean(err["input"], options)
                if isinstance(err.get("input"), bool) and kind.startswith("string"):
                    message += " (YAML reads unquoted yes/no/on/off/true/false as booleans: quote the text)"
                self.add(loc, message)


_FIELD_NAMES = _all_field_names()


def _read_bytes(path: Path, checker: _FileChecker) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        checker.add((), f"cannot read file: {exc.strerror}")
        return None


def _decode(raw: bytes, checker: _FileChecker) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        checker.add((), "file is not UTF-8 text; save it as UTF-8")
        return None


def _parse(text: str, checker: _FileChecker) -> Any:
    try:
        parsed = parse_yaml(text)
    except YamlError as exc:
        checker.problems.append(Problem(checker.shown, exc.line, exc.column, exc.message))
        return None
    checker.parsed = parsed
    if parsed._smap is not None:  # built at once only when keys repeat
        for key, line, column in parsed._smap.duplicate_keys:
            checker.problems.append(
                Problem(
                    checker.shown, line, column, f"duplicate key '{key}' (the later one would win)"
                )
            )
    if parsed.data is None:
        checker.add((), "file is empty")
    return parsed.data


def _read_yaml(path: Path, checker: _FileChecker) -> Any:
    raw = _read_bytes(path, checker)
    text = None if raw is None else _decode(raw, checker)
    return None if text is None else _parse(text, checker)


def _check_choices(q: Question, loc: tuple[str | int, ...], chk: _FileChecker) -> None:
    if q.type in (QuestionType.single, QuestionType.multiple, QuestionType.code):
        if not q.choices or len(q.choices) < 2:
            chk.add((*loc, "choices"), f"a {q.type.value} question needs at least 2 choices")
            return
        correct = sum(1 for c in q.choices if c.correct)
        if q.type in (QuestionType.single, QuestionType.code) and correct != 1:
            chk.add(
                (*loc, "choices"),
                f"a {q.type.value} question needs exactly one choice with 'correct: true' "
                f"(found {correct})",
            )
        if q.type is QuestionType.multiple and correct < 1:
            chk.add((*loc, "choices"), "a multiple question needs at least one correct choice")
        for index, choice in enumerate(q.choices):
            if not choice.correct and choice.why is None:
                chk.add(
                    (*loc, "choices", index),
                    "wrong choice has no 'why': say in one line why it is wrong",
                )
        texts = [c.text.en.strip().lower() for c in q.choices]
        if len(set(texts)) != len(texts):
            chk.add((*loc, "choices"), "two choices have the same English text")
    elif q.choices:
        chk.add((*loc, "choices"), f"a {q.type.value} question takes no 'choices'")


def _check_question(q: Question, loc: tuple[str | int, ...], chk: _FileChecker) -> None:
    _check_choices(q, loc, chk)
    if q.type is QuestionType.code and not q.code:
        chk.add(loc, "a code question needs 'code' (the snippet to read)")
    if q.type is QuestionType.short:
        if q.answer is None:
            chk.add(loc, "a short question needs 'answer' (the model answer)")
        if not q.key_points or not 3 <= len(q.key_points) <= 6:
            count = len(q.key_points or [])
            chk.add((*loc, "key_points"), f"a short question needs 3-6 key_points (found {count})")
    elif q.key_points:
        chk.add((*loc, "key_points"), f"a {q.type.value} question takes no 'key_points'")
    if q.open is not None and q.type is QuestionType.short:
        chk.add((*loc, "open"), "a short question is open already: it takes no 'open' form")
    if q.id in q.follow_ups:
        chk.add((*loc, "follow_ups"), "a question cannot be its own follow-up")
    if q.type is QuestionType.numeric:
        _check_numeric(q, loc, chk)
    else:
        for key in ("value", "tolerance", "params", "formula", "unit"):
            if getattr(q, key) is not None:
                chk.add((*loc, key), f"'{key}' is only for numeric questions")


def _check_numeric(q: Question, loc: tuple[str | int, ...], chk: _FileChecker) -> None:
    if q.tolerance is None:
        chk.add(loc, "a numeric question needs 'tolerance' (the absolute error accepted)")
    if q.formula is None and q.value is None:
        chk.add(loc, "a numeric question needs 'value', or 'params' and 'formula' for a template")
    if q.formula is not None and q.value is not None:
        chk.add((*loc, "value"), "give either 'value' or 'formula', not both")
    if (q.formula is None) != (q.params is None):
        chk.add(loc, "a numeric template needs both 'params' and 'formula'")
    if q.formula is None or q.params is None:
        placeholders = _placeholders(q.prompt)
        if placeholders:
            chk.add(
                (*loc, "prompt"),
                f"prompt uses {{{sorted(placeholders)[0]}}} but the question has no params",
            )
        return
    try:
        used = formula_mod.names_in(q.formula)
    except formula_mod.FormulaError as exc:
        chk.add((*loc, "formula"), str(exc))
        return
    unknown = sorted(used - set(q.params))
    for name in unknown:
        chk.add(
            (*loc, "formula"),
            f"formula uses '{name}', which is not a param{did_you_mean(name, q.params)}",
        )
    for name in sorted(_placeholders(q.prompt) - set(q.params)):
        chk.add(
            (*loc, "prompt"),
            f"prompt uses {{{name}}}, which is not a param{did_you_mean(name, q.params)}",
        )
    for lang_text in (q.prompt.en, q.prompt.zh):
        try:
            lang_text.format(**{name: 1 for name in q.params})
        except (KeyError, IndexError, ValueError):
            chk.add(
                (*loc, "prompt"),
                "a template prompt can only use {param}; write literal braces as {{ }}",
            )
            break
    if unknown:
        return
    # Evaluate at the first value of each param so a formula that always fails is caught now.
    sample = {name: (p.values[0] if p.values else p.range[0]) for name, p in q.params.items()}  # type: ignore[index]
    try:
        formula_mod.evaluate(q.formula, sample)
    except formula_mod.FormulaError as exc:
        chk.add((*loc, "formula"), str(exc))


def _placeholders(text: Text) -> set[str]:
    names: set[str] = set()
    for lang_text in (text.en, text.zh):
        try:
            # Only {identifier} is a placeholder: "{0, 1}" in a prompt is just a set.
            names |= {
                f for _, f, _, _ in string.Formatter().parse(lang_text) if f and f.isidentifier()
            }
        except ValueError:
            pass
    return names


@dataclass
class _TopicLoad:
    """One question file's own outcome (nothing here depends on the other files)."""

    slug: str
    topic_file: TopicFile | None
    questions: list[tuple[int, Question]]
    """Each valid question with its index in the file's raw ``questions`` list."""


def _check_topic_data(path: Path, data: Any, chk: _FileChecker) -> _TopicLoad | None:
    if not isinstance(data, dict):
        chk.add((), "a question file must be a mapping with 'topic', 'title' and 'questions'")
        return None
    try:
        topic_file = TopicFile.model_validate(data)
    except ValidationError as exc:
        chk.add_validation_error(exc)
        topic_file = None
    if topic_file is None:
        # Keep the questions that are valid on their own, so cross-file checks still see them.
        valid: list[Question] = []
        questions = data.get("questions")
        if isinstance(questions, list):
            for item in questions:
                try:
                    valid.append(Question.model_validate(item))
                except ValidationError:
                    pass
        topic_slug = str(data.get("topic") or path.stem)
    else:
        topic_slug = topic_file.topic
        if topic_file.topic != path.stem:
            chk.add(
                ("topic",),
                f"topic '{topic_file.topic}' differs from the file name '{path.stem}.yaml'",
                "warning",
            )
        valid = topic_file.questions
    raw_questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    # A valid file's questions are its raw items, one for one; the valid subset of an invalid
    # file is mapped back to the raw items by id.
    raw_indices: dict[Any, int] = {}
    if topic_file is None:
        for i, item in enumerate(raw_questions):
            if isinstance(item, dict):
                key = item.get("id")
                if isinstance(key, str):
                    raw_indices.setdefault(key, i)
    found: list[tuple[int, Question]] = []
    for index, question in enumerate(valid):
        raw_index = index if topic_file is not None else raw_indices.get(question.id, index)
        if question.topic is None:
            question = question.model_copy(update={"topic": topic_slug})
        _check_question(question, ("questions", raw_index), chk)
        found.append((raw_index, question))
    return _TopicLoad(topic_slug, topic_file, found)


def _from_cache(entry: cache_mod.Entry) -> _TopicLoad | None:
    try:
        topic_file = TopicFile.model_validate(entry.data)
    except ValidationError:
        return None
    if len(entry.indices) != len(topic_file.questions):
        return None
    found = [
        (raw_index, q if q.topic is not None else q.model_copy(update={"topic": topic_file.topic}))
        for raw_index, q in zip(entry.indices, topic_file.questions, strict=True)
    ]
    return _TopicLoad(topic_file.topic, topic_file, found)


def _load_topic_file(
    path: Path, chk: _FileChecker, cache: cache_mod.ContentCache | None
) -> _TopicLoad | None:
    """Parse and check one question file on its own, or take it from the cache unchanged."""
    raw = _read_bytes(path, chk)
    if raw is None:
        if cache is not None:
            cache.forget(path)
        return None
    file_digest = ""
    if cache is not None:
        file_digest = cache_mod.digest(raw)
        entry = cache.get(path, file_digest)
        if entry is not None:
            load = _from_cache(entry)
            if load is not None:
                chk.problems.extend(entry.problem_objects(chk.shown))
                return load
    text = _decode(raw, chk)
    if text is None:
        return None
    data = _parse(text, chk)
    load = None if data is None else _check_topic_data(path, data, chk)
    chk.problems.extend(_todo_lines(text, chk.shown))
    if cache is not None:
        if (
            load is not None
            and load.topic_file is not None
            and not any(p.severity == "error" for p in chk.problems)
        ):
            problems = [(p.line, p.column, p.message, p.severity) for p in chk.problems]
            cache.put(
                path, file_digest, cache_mod.Entry(data, [i for i, _ in load.questions], problems)
            )
        else:
            cache.forget(path)
    return load


def _register_topic(
    path: Path, root: Path, load: _TopicLoad, content: Content, chk: _FileChecker
) -> None:
    """Add one file's questions to the content, checking ids against the files before it."""
    if load.topic_file is not None:
        content.topics[load.slug] = load.topic_file
    for raw_index, question in load.questions:
        loc = ("questions", raw_index)
        if question.id in content.questions:
            other = display_path(content.question_files[question.id], root)
            chk.add((*loc, "id"), f"duplicate question id '{question.id}' (also in {other})")
            continue
        content.questions[question.id] = question
        content.question_files[question.id] = path
        content._pending_refs.append((question, loc, chk))


def _load_bibliography(path: Path, root: Path, content: Content) -> None:
    chk = _FileChecker(path, root)
    data = _read_yaml(path, chk)
    if data is not None:
        try:
            content.bibliography.update(Bibliography.model_validate(data).references)
        except ValidationError as exc:
            chk.add_validation_error(exc)
            refs = data.get("references") if isinstance(data, dict) else None
            if isinstance(refs, dict):
                for key, value in refs.items():
                    try:
                        content.bibliography[key] = Reference.model_validate(value)
                    except ValidationError:
                        pass
    content.problems.extend(chk.problems)


def _load_exercises(root: Path, content: Content) -> None:
    folder = root / "exercises"
    if not folder.is_dir():
        return
    info_path = folder / COURSE_INFO
    order: list[str] = []
    info_chk = _FileChecker(info_path, root)
    if info_path.is_file():
        data = _read_yaml(info_path, info_chk)
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
        chk = _FileChecker(meta_path, root)
        if not meta_path.is_file():
            chk.add((), f"exercise folder '{ex_dir.name}' has no {EXERCISE_FILE}")
            content.problems.extend(chk.problems)
            continue
        data = _read_yaml(meta_path, chk)
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
            if meta.interview is None:
                # A warning while the interview prompts are being written; an error later.
                chk.add(
                    (),
                    "no 'interview' block: interview mode cannot pose this exercise (add a "
                    "prompt in en and zh and at least 3 clarifications, see docs/interview.md)",
                    "warning",
                )
            chk.problems.extend(_todo_warnings(meta_path, root))
            for name in meta.statement.values():
                chk.problems.extend(_todo_warnings(ex_dir / name, root))
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


def _check_exercise_files(ex: LoadedExercise, chk: _FileChecker) -> None:
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


def _cross_check(content: Content, root: Path) -> None:
    planned_links: set[str] = set()
    check_exercises = content.extends or (root / "exercises").is_dir()
    for question, loc, chk in content._pending_refs:
        for index, key in enumerate(question.references):
            if key not in content.bibliography:
                chk.add(
                    (*loc, "references", index),
                    f"unknown reference '{key}'{did_you_mean(key, content.bibliography)}; add it to questions/{BIBLIOGRAPHY}",
                )
        for index, ex_id in enumerate(question.related_exercises):
            if ex_id in content.planned_exercises and ex_id not in content.exercises:
                planned_links.add(ex_id)
            elif check_exercises and ex_id not in content.exercises:
                chk.add(
                    (*loc, "related_exercises", index),
                    f"unknown exercise '{ex_id}'{did_you_mean(ex_id, content.exercises)}",
                )

        for index, follow in enumerate(question.follow_ups):
            if follow not in content.questions:
                chk.add(
                    (*loc, "follow_ups", index),
                    f"unknown question '{follow}'{did_you_mean(follow, content.questions)}",
                )

    if planned_links:
        message = "questions link to planned exercises not written yet: " + ", ".join(
            sorted(planned_links)
        )
        info = root / "exercises" / COURSE_INFO
        if info.is_file():  # at the 'planned' list (else it came from the bundled content)
            info_chk = _FileChecker(info, root)
            info_chk.add(("planned",), message, "warning")
            content.problems.extend(info_chk.problems)
        else:
            content.problems.append(Problem(f"exercises/{COURSE_INFO}", 0, 0, message, "warning"))


MANIFEST = "kdquiz.yaml"


def _read_manifest(root: Path, content: Content) -> ContentManifest | None:
    path = root / MANIFEST
    if not path.is_file():
        return None
    chk = _FileChecker(path, root)
    data = _read_yaml(path, chk)
    manifest = None
    if data is not None:
        try:
            manifest = ContentManifest.model_validate(data)
        except ValidationError as exc:
            chk.add_validation_error(exc)
    content.problems.extend(chk.problems)
    return manifest


def _todo_warnings(path: Path, root: Path) -> list[Problem]:
    """A warning for each line of a content file that still says TODO (scaffolds leave them)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return _todo_lines(text, display_path(path, root))


def _todo_lines(text: str, shown: str) -> list[Problem]:
    if "TODO" not in text:
        return []
    return [
        Problem(shown, number, line.index("TODO") + 1, "TODO left to fill in", "warning")
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line and not line.lstrip().startswith("#")
    ]


def question_files(root: Path) -> list[Path]:
    """The topic files of a content tree (every .yaml in questions/ but the bibliography)."""
    folder = root / "questions"
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*.y*ml") if p.name != BIBLIOGRAPHY and p.suffix in (".yaml", ".yml")
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading allocates hundreds of thousands of containers
    that form no cycles, and each full collection would walk everything loaded so far (half the
    time of loading a 5,000-question bank). Reference counting still frees them.

    Afterwards what was loaded is moved to the collector's permanent generation
    (``gc.freeze()``), so later collections do not walk it either; content lives as long as the
    process or is freed by reference counting when replaced."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def load_content(
    root: Path,
    only_files: list[Path] | None = None,
    *,
    questions: bool = True,
    use_cache: bool = True,
) -> Content:
    """Load and validate a content tree (or only some question files of it, still cross-checked
    against the whole tree's bibliography and exercises).

    With ``questions=False`` only the manifest and the exercises are loaded (grading needs no
    question bank). Unchanged question files come from the cache (see :mod:`kdquiz.core.cache`)
    unless ``use_cache`` is false or ``KDQUIZ_NO_CACHE`` is set.
    """
    with _collector_paused():
        return _load_content(root, only_files, questions, use_cache)


def _load_content(
    root: Path, only_files: list[Path] | None, questions: bool, use_cache: bool
) -> Content:
    content = Content(root=root)
    manifest = _read_manifest(root, content)
    if manifest is not None and manifest.extends == "bundled":
        from kdquiz.core.locations import bundled_content_root

        base_root = bundled_content_root()
        if base_root.resolve() != root.resolve():
            base = _load_content(base_root, None, questions, use_cache)
            content.extends = True
            content.topics = dict(base.topics)
            content.questions = dict(base.questions)
            content.question_files = dict(base.question_files)
            content.bibliography = dict(base.bibliography)
            content.exercises = dict(base.exercises)
            content.planned_exercises = list(base.planned_exercises)
            content.problems.extend(base.errors)
    if not (root / "questions").is_dir() and not (root / "exercises").is_dir():
        content.problems.append(
            Problem(
                str(root), 0, 0, "not a kdquiz content tree: no questions/ or exercises/ folder"
            )
        )
        return content
    if not questions:
        _load_exercises(root, content)
        return content
    bib = root / "questions" / BIBLIOGRAPHY
    if bib.is_file():
        _load_bibliography(bib, root, content)
    elif (root / "questions").is_dir() and not content.extends:
        content.problems.append(
            Problem(display_path(bib, root), 0, 0, f"missing questions/{BIBLIOGRAPHY}")
        )
    _load_exercises(root, content)
    files = only_files if only_files is not None else question_files(root)
    cache = cache_mod.ContentCache(root) if use_cache and cache_mod.enabled() else None
    checkers: list[_FileChecker] = []
    for path in files:
        chk = _FileChecker(path, root)
        checkers.append(chk)
        load = _load_topic_file(path, chk, cache)
        if load is not None:
            _register_topic(path, root, load, content, chk)
        chk.release()
    if cache is not None:
        cache.save(prune=only_files is None)
    _cross_check(content, root)
    content._pending_refs.clear()
    for chk in checkers:
        content.problems.extend(chk.problems)
    return content
