"""Generate a large question bank for the loading benchmarks.

The bank is the real ``questions/`` replicated: each copy of a topic file gets a new topic slug
(``fundamentals-r003``, matching its file name) and every question id gets the same suffix, so the
result is valid content with exactly N questions. The bibliography is copied, and ``exercises/``
and ``solutions/`` are linked to the real ones, so cross-references (``references``,
``related_exercises``) are checked exactly as for the real tree.

    python benchmarks/bank.py DEST N [--single-file]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = "bibliography.yaml"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_Dumper):  # type: ignore[misc,valid-type]
    """Writes every copy out in full: copies share their nested dicts, which PyYAML would
    otherwise write once with an anchor and then as aliases (a smaller, unrealistic file)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)


def topic_files(source: Path = REPO) -> list[Path]:
    folder = source / "questions"
    return sorted(p for p in folder.glob("*.yaml") if p.name != BIBLIOGRAPHY)


def touch_one_file(root: Path) -> None:
    """An instructor's edit: one question file of the tree changes (a comment line is added)."""
    files = topic_files(root)
    target = files[len(files) // 2]
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"# edited {time.time_ns()}\n")


def generate(dest: Path, count: int, single_file: bool = False, source: Path = REPO) -> int:
    """Write a content tree with ``count`` questions under ``dest``; returns the file count."""
    questions = dest / "questions"
    questions.mkdir(parents=True, exist_ok=False)
    shutil.copy(source / "questions" / BIBLIOGRAPHY, questions / BIBLIOGRAPHY)
    for folder in ("exercises", "solutions"):
        if (source / folder).is_dir():
            os.symlink(source / folder, dest / folder)
    docs = [
        (p.stem, yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader))
        for p in topic_files(source)
    ]
    if not docs or not any(doc.get("questions") for _, doc in docs):
        raise SystemExit(f"no questions found under {source / 'questions'}")
    made, copy, files = 0, 0, 0
    pooled: list[dict[str, Any]] = []
    while made < count:
        for stem, doc in docs:
            if made >= count:
                break
            items = []
            for item in (doc.get("questions") or [])[: count - made]:
                renamed = dict(item)
                renamed["id"] = f"{item['id']}-r{copy:03d}"
                items.append(renamed)
            if not items:
                continue
            made += len(items)
            if single_file:
                pooled.extend(items)
                continue
            out = dict(doc)
            out["topic"] = f"{stem}-r{copy:03d}"
            out["questions"] = items
            (questions / f"{out['topic']}.yaml").write_text(_dump(out), encoding="utf-8")
            files += 1
        copy += 1
    if single_file:
        out = dict(docs[0][1])
        out["topic"] = "bank"
        out["questions"] = pooled
        (questions / "bank.yaml").write_text(_dump(out), encoding="utf-8")
        files = 1
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--single-file", action="store_true")
    args = parser.parse_args()
    files = generate(args.dest, args.count, args.single_file)
    print(f"{args.count} questions in {files} file(s) under {args.dest}")


if __name__ == "__main__":
    main()
