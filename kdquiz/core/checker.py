"""Reading one content file and reporting its problems at their line and column.

A :class:`FileChecker` collects the problems of one YAML file; ``read_yaml`` reads, decodes and
parses a file, reporting each failure (unreadable, not UTF-8, bad YAML, duplicate keys, empty)
as a problem instead of raising. The rules for what a question or exercise must contain live in
:mod:`kdquiz.core.rules`; putting the content together is :mod:`kdquiz.core.content`'s job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kdquiz.core.models import Bibliography, CourseInfo, Exercise, Question, TopicFile
from kdquiz.core.problems import Problem, did_you_mean, display_path
from kdquiz.core.yamlsrc import Parsed, SourceMap, YamlError, parse_yaml

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


class FileChecker:
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
                if key in names:  # a real key in the wrong place: a line indented wrongly
                    self.add(
                        loc,
                        f"'{key}' is not expected here: check its indentation "
                        "(it belongs to another level)",
                        at_key=True,
                    )
                else:
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


def read_bytes(path: Path, checker: FileChecker) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        checker.add((), f"cannot read file: {exc.strerror}")
        return None


def decode(raw: bytes, checker: FileChecker) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        checker.add((), "file is not UTF-8 text; save it as UTF-8")
        return None


def parse(text: str, checker: FileChecker) -> Any:
    try:
        parsed = parse_yaml(text)
    except YamlError as exc:
        message = exc.message
        if "mapping values are not allowed" in message:
            message += (
                " (a text containing ': ' must be quoted, \"like: this\"; otherwise this line "
                "is indented deeper than the key it belongs with)"
            )
        checker.problems.append(Problem(checker.shown, exc.line, exc.column, message))
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


def read_yaml(path: Path, checker: FileChecker) -> Any:
    raw = read_bytes(path, checker)
    text = None if raw is None else decode(raw, checker)
    return None if text is None else parse(text, checker)


def todo_warnings(path: Path, root: Path) -> list[Problem]:
    """A warning for each line of a content file that still says TODO (scaffolds leave them)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return todo_lines(text, display_path(path, root))


def todo_lines(text: str, shown: str) -> list[Problem]:
    if "TODO" not in text:
        return []
    return [
        Problem(shown, number, line.index("TODO") + 1, "TODO left to fill in", "warning")
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line and not line.lstrip().startswith("#")
    ]
