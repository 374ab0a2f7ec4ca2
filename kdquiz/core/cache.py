"""A cache of parsed question files, so a large bank is not parsed again when it has not changed.

Parsing YAML in Python is most of the cost of loading a bank (about 1.5 s for 5,000 questions on
the benchmark machine, against 0.2 s to rebuild the models from plain data). For each question
file that had no errors, the cache keeps the parsed data and the file's own problems (warnings),
keyed by a hash of the file's bytes; ``load_content`` re-parses only the files whose bytes
changed and always re-runs the checks across files (ids, references, exercises).

- One file per content tree in the cache directory (``KDQUIZ_HOME/cache`` when that is set, else
  the platform's user cache directory), never inside the content tree: a header line with the
  key, then one line per question file, ``path<TAB>digest<TAB>entry as JSON``. Entries are
  decoded only when used and written back as the text they were read as, so after editing one
  file of a large bank only that file is parsed and encoded again.
- The key includes kdquiz's version and a hash of the modules that parse and check content, so a
  changed checker never trusts an old verdict. ``KDQUIZ_NO_CACHE=1`` turns the cache off.
- JSON only, read with ``json.loads``: nothing in the cache can run code. Only plain data is
  stored (dicts with string keys, lists, strings, numbers, booleans, null); a file whose data is
  anything else is simply not cached.
- A missing, unreadable, corrupt or foreign cache file is ignored and rewritten; writes go to a
  temporary file first and replace the old one atomically, so concurrent runs cannot leave half a
  file. Failing to write the cache is never an error.
- The caches of content trees not loaded for 30 days are deleted, so trying many trees does not
  fill the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kdquiz.core import locations
from kdquiz.core.problems import Problem

FORMAT = 2
STALE_DAYS = 30  # cache files of content trees not loaded for this long are deleted
_CHECKER_MODULES = (
    "cache.py",
    "checker.py",
    "content.py",
    "formula.py",
    "models.py",
    "problems.py",
    "rules.py",
    "yamlsrc.py",
)


def enabled() -> bool:
    return os.environ.get("KDQUIZ_NO_CACHE", "") in ("", "0")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _checker_key() -> str:
    from kdquiz import __version__

    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)
    for name in _CHECKER_MODULES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


def _plain(value: Any) -> bool:
    """True if ``value`` survives a JSON round trip unchanged."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(k) is str for k in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if item != item or item in (float("inf"), float("-inf")):
                return False
        elif kind not in (str, int, bool) and item is not None:
            return False
    return True


@dataclass
class Entry:
    """What one question file gave, minus anything that depends on the other files."""

    data: Any
    """The parsed YAML, plain data."""
    indices: list[int]
    """For each question of the validated file, its index in the raw ``questions`` list."""
    problems: list[tuple[int, int, str, str]]
    """The file's own problems (only warnings: files with errors are not cached)."""

    def problem_objects(self, shown: str) -> list[Problem]:
        return [Problem(shown, line, col, msg, sev) for line, col, msg, sev in self.problems]


class ContentCache:
    """The cache of one content tree. ``get`` and ``put`` by absolute path and byte hash."""

    def __init__(self, root: Path) -> None:
        self.path = locations.cache_dir() / f"content-{digest(str(root.resolve()).encode())}.json"
        self.key = _checker_key()
        self._files: dict[str, tuple[str, str]] = {}  # path -> (digest, entry as JSON text)
        self._used: set[str] = set()
        self._dirty = False
        try:
            lines = self.path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return
        if lines[0] != self._header():
            return
        for line in lines[1:]:
            parts = line.split("\t", 2)
            if len(parts) == 3:
                self._files[parts[0]] = (parts[1], parts[2])

    def _header(self) -> str:
        return f"kdquiz content cache {self.key}"

    def get(self, path: Path, file_digest: str) -> Entry | None:
        name = str(path)
        self._used.add(name)
        found = self._files.get(name)
        if found is None or found[0] != file_digest:
            return None
        try:
            stored = json.loads(found[1])
            problems = [(int(a), int(b), str(c), str(d)) for a, b, c, d in stored["problems"]]
            return Entry(stored["data"], [int(i) for i in stored["indices"]], problems)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, path: Path, file_digest: str, entry: Entry) -> None:
        name = str(path)
        self._used.add(name)
        if not _plain(entry.data):
            self._files.pop(name, None)
            return
        stored = {
            "data": entry.data,
            "indices": entry.indices,
            "problems": [list(p) for p in entry.problems],
        }
        self._files[name] = (file_digest, json.dumps(stored, ensure_ascii=False))
        self._dirty = True

    def forget(self, path: Path) -> None:
        name = str(path)
        self._used.add(name)
        if self._files.pop(name, None) is not None:
            self._dirty = True

    def save(self, prune: bool = True) -> None:
        """Write the cache if it changed; with ``prune``, drop files this load did not see."""
        if prune:
            for name in [n for n in self._files if n not in self._used]:
                del self._files[name]
                self._dirty = True
        if not self._dirty:
            self._touch()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".content-", dir=self.path.parent)
            try:
                rows = [self._header()]
                rows += [
                    f"{n}\t{d}\t{e}"
                    for n, (d, e) in self._files.items()
                    if not {"\n", "\t"} & set(n)
                ]
                text = "\n".join(rows) + "\n"
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._forget_stale()
        except OSError:
            pass  # a cache that cannot be written only costs the next load some time
        self._dirty = False

    def _touch(self) -> None:
        """Mark an unchanged cache as used (at most once a day), so it is not taken for stale."""
        import time

        try:
            if self.path.stat().st_mtime < time.time() - 86400:
                os.utime(self.path)
        except OSError:
            pass

    def _forget_stale(self) -> None:
        """Delete the caches of content trees nobody has loaded for :data:`STALE_DAYS` days (a
        cache is rewritten whenever its tree changes, and touched when it is used)."""
        import time

        cutoff = time.time() - STALE_DAYS * 86400
        for other in self.path.parent.glob("content-*.json"):
            try:
                if other != self.path and other.stat().st_mtime < cutoff:
                    other.unlink()
            except OSError:
                pass
