"""YAML loading that remembers where every value came from, so problems can name a line.

Always the safe loader (the C one when PyYAML has libyaml, for speed). A document becomes plain
Python data plus a map from each value's path (a tuple of keys and indices) to its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


class YamlError(Exception):
    """The text is not valid YAML; carries a 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class SourceMap:
    """Line and column (1-based) of each value, keyed by its path in the document."""

    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int, int]] = field(default_factory=list)

    def locate(self, path: Path_) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that exists."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def locate_key(self, path: Path_) -> tuple[int, int]:
        """The position of the key that names ``path`` (for unknown keys)."""
        return self.key_marks.get(path) or self.locate(path)


def _walk(node: yaml.Node, path: Path_, smap: SourceMap) -> None:
    smap.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                mark = key_node.start_mark
                smap.duplicate_keys.append((key, mark.line + 1, mark.column + 1))
            seen.add(key)
            smap.key_marks[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            _walk(value_node, (*path, key), smap)
            # A missing value is best reported at its key.
            smap.marks.setdefault((*path, key), (key_node.start_mark.line + 1, 1))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), smap)


def _explain(exc: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = exc.problem or str(exc)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent or "'\\t'" in problem:
        return "tab character in indentation: YAML indentation must use spaces"
    context = f" {exc.context}" if exc.context else ""
    return f"invalid YAML: {problem}{context}"


def load_yaml(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into data and its source map; raise :class:`YamlError`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, SourceMap()
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(_explain(exc, text, line), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1, 1) from None
    finally:
        loader.dispose()
    smap = SourceMap()
    _walk(node, (), smap)
    return data, smap
