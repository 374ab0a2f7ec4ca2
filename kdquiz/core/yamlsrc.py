"""YAML loading that remembers where every value came from, so problems can name a line.

Always the safe loader (the C one when PyYAML has libyaml, for speed). A document becomes plain
Python data; the map from each value's path (a tuple of keys and indices) to its line and column
is built only when a problem needs a line (walking every node of a large bank costs as much as
checking it), from the node tree the parse kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, noting whether any mapping repeats a key (the walk then says where).

    Its two hot paths are rewritten for speed with PyYAML's own semantics: ``resolve`` (called by
    the C parser for every scalar) and the construction of plain mappings, sequences and strings
    (``_build``); every other node goes through PyYAML's safe constructor unchanged.
    """

    has_duplicates = False
    _scalar_resolvers: dict[str, tuple[tuple[str, Any], ...]] = {}
    _wildcard: tuple[tuple[str, Any], ...] = ()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        if not _Loader._scalar_resolvers:
            table = self.yaml_implicit_resolvers
            wildcard = list(table.get(None, []))
            _Loader._scalar_resolvers = {
                first: tuple(list(resolvers) + wildcard)
                for first, resolvers in table.items()
                if first is not None
            }
            _Loader._wildcard = tuple(wildcard)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if implicit[0]:
                for tag, regexp in self._scalar_resolvers.get(value[:1], self._wildcard):
                    if regexp.match(value):
                        return tag
            return _STR
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            self.has_duplicates = True
        return mapping

    def build(self, node: yaml.Node) -> Any:
        """The node's value, as ``construct_document`` would give it."""
        self._building: set[int] = set()
        try:
            return self._build(node)
        finally:
            self.constructed_objects: dict[Any, Any] = {}
            self.recursive_objects: dict[Any, Any] = {}

    def _build(self, node: yaml.Node) -> Any:
        kind = node.__class__
        if kind is yaml.ScalarNode:
            if node.tag == _STR:
                return node.value
            return self.construct_object(node, deep=True)
        if kind is yaml.SequenceNode and node.tag == _SEQ:
            marker = id(node)
            if marker in self._building:  # an alias inside itself: PyYAML knows how
                return self.construct_object(node, deep=True)
            self._building.add(marker)
            items = [self._build(item) for item in node.value]
            self._building.discard(marker)
            return items
        if kind is yaml.MappingNode and node.tag == _MAP:
            marker = id(node)
            pairs = node.value
            if marker in self._building or any(key.tag != _STR for key, _ in pairs):
                # Merge keys, non-string keys, recursion: PyYAML's constructor decides.
                return self.construct_object(node, deep=True)
            self._building.add(marker)
            mapping = {key.value: self._build(value) for key, value in pairs}
            self._building.discard(marker)
            if len(mapping) != len(pairs):
                self.has_duplicates = True
            return mapping
        return self.construct_object(node, deep=True)


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
            smap.key_marks[path + (key,)] = (
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


@dataclass
class Parsed:
    """One parsed document: its data, and the node tree to locate values in on demand."""

    data: Any
    node: yaml.Node | None
    _smap: SourceMap | None = None

    @property
    def source_map(self) -> SourceMap:
        if self._smap is None:
            self._smap = SourceMap()
            if self.node is not None:
                _walk(self.node, (), self._smap)
        return self._smap


def parse_yaml(text: str) -> Parsed:
    """Parse one YAML document; raise :class:`YamlError`. Duplicate keys are in the source map,
    which is built at once when there are any."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, None)
        data = loader.build(node)
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply", 1, 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(_explain(exc, text, line), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1, 1) from None
    finally:
        loader.dispose()
    parsed = Parsed(data, node)
    if loader.has_duplicates:
        parsed.source_map  # noqa: B018 - the walk records where the duplicates are
    return parsed


def load_yaml(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into data and its full source map; raise :class:`YamlError`."""
    parsed = parse_yaml(text)
    return parsed.data, parsed.source_map
