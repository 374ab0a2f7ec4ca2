"""Loading and validating a content tree: questions/, exercises/ and solutions/.

``load_content`` never raises for bad content: it returns what loaded cleanly together with every
problem found (file, line, column, message), so ``kdquiz validate`` can report them all at once.

The work is split by job: :mod:`kdquiz.core.checker` reads one file and reports its problems at
their line, :mod:`kdquiz.core.rules` holds the rules of a question file,
:mod:`kdquiz.core.exercise_loading` loads the exercises, :mod:`kdquiz.core.cache` keeps checked
question files, and this module puts a tree together (merging an extending tree over the bundled
one) and cross-checks the files against each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kdquiz.core import cache as cache_mod
from kdquiz.core import gcpolicy
from kdquiz.core.checker import FileChecker, decode, parse, read_bytes, read_yaml, todo_lines
from kdquiz.core.exercise_loading import load_exercises
from kdquiz.core.models import Bibliography, ContentManifest, Reference, TopicFile
from kdquiz.core.problems import Problem, did_you_mean, display_path
from kdquiz.core.rules import TopicLoad, check_topic_data
from kdquiz.core.tree import (
    BIBLIOGRAPHY,
    COURSE_INFO,
    EXERCISE_FILE,
    Content,
    LoadedExercise,
)

__all__ = [
    "BIBLIOGRAPHY",
    "COURSE_INFO",
    "EXERCISE_FILE",
    "MANIFEST",
    "Content",
    "LoadedExercise",
    "load_content",
    "question_files",
]


def _from_cache(entry: cache_mod.Entry) -> TopicLoad | None:
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
    return TopicLoad(topic_file.topic, topic_file, found)


def _load_topic_file(
    path: Path, chk: FileChecker, cache: cache_mod.ContentCache | None
) -> TopicLoad | None:
    """Parse and check one question file on its own, or take it from the cache unchanged."""
    raw = read_bytes(path, chk)
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
    text = decode(raw, chk)
    if text is None:
        return None
    data = parse(text, chk)
    load = None if data is None else check_topic_data(path, data, chk)
    chk.problems.extend(todo_lines(text, chk.shown))
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


def _id_line(path: Path, question_id: str) -> int:
    """The line of ``id: QUESTION_ID`` in a question file (0 if it cannot be found): where a
    duplicate's first occurrence is."""
    import re

    pattern = re.compile(rf"^\s*(?:-\s*)?id:\s*['\"]?{re.escape(question_id)}['\"]?\s*(?:#.*)?$")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 0)


def _register_topic(
    path: Path, root: Path, load: TopicLoad, content: Content, chk: FileChecker
) -> None:
    """Add one file's questions to the content, checking ids against the files before it."""
    if load.topic_file is not None:
        content.topics[load.slug] = load.topic_file
    for raw_index, question in load.questions:
        loc = ("questions", raw_index)
        if question.id in content.questions:
            first = content.question_files[question.id]
            other = display_path(first, root)
            line = _id_line(first, question.id)
            where = f"{other}:{line}" if line else other
            chk.add(
                (*loc, "id"),
                f"duplicate question id '{question.id}' (first defined at {where}): "
                "give this question its own id",
            )
            continue
        content.questions[question.id] = question
        content.question_files[question.id] = path
        content.pending_refs.append((question, loc, chk))


def _load_bibliography(path: Path, root: Path, content: Content) -> None:
    chk = FileChecker(path, root)
    data = read_yaml(path, chk)
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


def _cross_check(content: Content, root: Path) -> None:
    planned_links: set[str] = set()
    check_exercises = content.extends or (root / "exercises").is_dir()
    for question, loc, chk in content.pending_refs:
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
            info_chk = FileChecker(info, root)
            info_chk.add(("planned",), message, "warning")
            content.problems.extend(info_chk.problems)
        else:
            content.problems.append(Problem(f"exercises/{COURSE_INFO}", 0, 0, message, "warning"))


MANIFEST = "kdquiz.yaml"


def _chosen_bundled(
    root: Path, manifest: ContentManifest, bundled: dict[str, Any], content: Content
) -> dict[str, Any]:
    """The bundled exercises an extending tree keeps: those its ``bundled_exercises`` lists (in
    the bundled order), or all; an id that is not bundled is reported at its line."""
    if manifest.bundled_exercises is None:
        return dict(bundled)
    chk = FileChecker(root / MANIFEST, root)
    for index, ex_id in enumerate(manifest.bundled_exercises):
        if ex_id not in bundled:
            chk.add(
                ("bundled_exercises", index),
                f"'{ex_id}' is not a bundled exercise{did_you_mean(ex_id, bundled)}",
            )
    content.problems.extend(chk.problems)
    return {k: v for k, v in bundled.items() if k in manifest.bundled_exercises}


def _read_manifest(root: Path, content: Content) -> ContentManifest | None:
    path = root / MANIFEST
    if not path.is_file():
        return None
    chk = FileChecker(path, root)
    data = read_yaml(path, chk)
    manifest = None
    if data is not None:
        try:
            manifest = ContentManifest.model_validate(data)
        except ValidationError as exc:
            chk.add_validation_error(exc)
    content.problems.extend(chk.problems)
    return manifest


def question_files(root: Path) -> list[Path]:
    """The topic files of a content tree (every .yaml in questions/ but the bibliography)."""
    folder = root / "questions"
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*.y*ml") if p.name != BIBLIOGRAPHY and p.suffix in (".yaml", ".yml")
    )


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
    with gcpolicy.collector_paused():
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
            content.exercises = _chosen_bundled(root, manifest, base.exercises, content)
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
        load_exercises(root, content)
        return content
    bib = root / "questions" / BIBLIOGRAPHY
    if bib.is_file():
        _load_bibliography(bib, root, content)
    elif (root / "questions").is_dir() and not content.extends:
        content.problems.append(
            Problem(display_path(bib, root), 0, 0, f"missing questions/{BIBLIOGRAPHY}")
        )
    load_exercises(root, content)
    files = only_files if only_files is not None else question_files(root)
    cache = cache_mod.ContentCache(root) if use_cache and cache_mod.enabled() else None
    checkers: list[FileChecker] = []
    for path in files:
        chk = FileChecker(path, root)
        checkers.append(chk)
        load = _load_topic_file(path, chk, cache)
        if load is not None:
            _register_topic(path, root, load, content, chk)
        chk.release()
    if cache is not None:
        cache.save(prune=only_files is None)
    _cross_check(content, root)
    content.pending_refs.clear()
    for chk in checkers:
        content.problems.extend(chk.problems)
    return content
