"""Loading content fast without changing what it says: the YAML fast path gives exactly PyYAML's
data, and the per-file cache gives exactly the uncached result (questions and problems, with
their lines), re-parsing a file as soon as its bytes change."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from kdquiz.core import cache as cache_mod
from kdquiz.core import checker as checker_mod
from kdquiz.core import content as content_mod
from kdquiz.core.content import load_content
from kdquiz.core.yamlsrc import YamlError, parse_yaml

from .conftest import COURSE, FIXTURES, ROOT

_Safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YAML_CASES = [
    "a: &x [1, 2]\nb: *x\n",
    "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
    "1: a\n2.5: b\n",
    "a: !!binary aGVsbG8=\n",
    "a: 2020-01-01\nb: yes\nc: ~\nd: 0x1f\ne: .inf\nf: '1'\ng: 1_000\nh: -.5e+3\n",
    "a: !!set {x, y}\n",
    "k: v\nk: w\n",
    "- - - - x\n",
    "''\n",
    "a:\n",
    "=: 1\n",
    "a: !!str 12\nb: !!int '7'\n",
    "text: >-\n  folded\n  lines\nlit: |\n  kept\n  lines\n",
]


def _content_files() -> list[Path]:
    found = [*ROOT.glob("questions/*.yaml"), *ROOT.glob("exercises/**/*.yaml")]
    found += FIXTURES.glob("**/*.yaml")
    return sorted(found)


@pytest.mark.parametrize("text", YAML_CASES)
def test_fast_yaml_path_gives_pyyamls_data(text: str) -> None:
    assert repr(parse_yaml(text).data) == repr(yaml.load(text, Loader=_Safe))


def test_fast_yaml_path_on_every_content_file() -> None:
    files = _content_files()
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            expected = yaml.load(text, Loader=_Safe)
        except yaml.YAMLError:
            with pytest.raises(YamlError):
                parse_yaml(text)
            continue
        assert parse_yaml(text).data == expected, path


def test_duplicate_keys_are_found_without_the_walk_being_asked() -> None:
    parsed = parse_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert parsed.source_map.duplicate_keys == [("b", 4, 3)]
    assert parse_yaml("a: 1\nb: 2\n")._smap is None  # no map built when nothing needs a line


def test_a_self_containing_alias_is_a_clear_error() -> None:
    with pytest.raises(YamlError):
        parse_yaml("&a [*a]\n")


# ---- the cache -------------------------------------------------------------------------------


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    return root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first line of every text the loader parses (kdquiz.core.checker)."""
    seen: list[str] = []
    real = checker_mod.parse_yaml

    def counting(text: str):  # type: ignore[no-untyped-def]
        seen.append(text.splitlines()[0] if text else "")
        return real(text)

    monkeypatch.setattr(checker_mod, "parse_yaml", counting)
    return seen


def _summary(root: Path, **kwargs: object) -> tuple[object, ...]:
    loaded = load_content(root, **kwargs)  # type: ignore[arg-type]
    return (
        {k: q.model_dump() for k, q in loaded.questions.items()},
        {k: str(v) for k, v in loaded.question_files.items()},
        {k: t.model_dump() for k, t in loaded.topics.items()},
        sorted(loaded.problems),
    )


def _topic_files(root: Path) -> list[Path]:
    return content_mod.question_files(root)


def test_second_load_parses_no_unchanged_question_file(course: Path, parses: list[str]) -> None:
    first = _summary(course)
    first_parses = len(parses)
    parses.clear()
    second = _summary(course)
    assert second == first
    assert len(parses) == first_parses - len(_topic_files(course))
    assert _summary(course, use_cache=False) == first


def test_an_edit_is_seen_even_with_the_same_size_and_time(course: Path) -> None:
    path = _topic_files(course)[0]
    before = _summary(course)
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    word = next(w for w in ("What", "Which", "How") if w in text)
    edited = text.replace(word, word.upper()[: len(word)], 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = _summary(course)
    assert after != before
    assert after == _summary(course, use_cache=False)
    assert any(word.upper() in json.dumps(q) for q in after[0].values())


def test_broken_files_are_reported_the_same_every_time() -> None:
    first = _summary(FIXTURES / "broken")
    assert first[3], "the broken fixture has problems"
    assert _summary(FIXTURES / "broken") == first
    assert _summary(FIXTURES / "broken", use_cache=False) == first


def test_cross_file_problems_in_cached_files_keep_their_lines(course: Path) -> None:
    _summary(course)  # every file cached
    cached_file = _topic_files(course)[0]
    data = yaml.load(cached_file.read_text(encoding="utf-8"), Loader=_Safe)
    # A new file sorted first takes the id, so the duplicate is reported in the cached file.
    first = data["questions"][0]
    (course / "questions" / "aaa.yaml").write_text(
        yaml.safe_dump(
            {"topic": "aaa", "title": {"en": "A", "zh": "甲"}, "questions": [first]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    # And a reference the cached file uses disappears from the bibliography.
    bib_path = course / "questions" / "bibliography.yaml"
    bib = yaml.load(bib_path.read_text(encoding="utf-8"), Loader=_Safe)
    used = next(q["references"][0] for q in data["questions"] if q.get("references"))
    del bib["references"][used]
    bib_path.write_text(yaml.safe_dump(bib, allow_unicode=True), encoding="utf-8")

    cached = _summary(course)
    uncached = _summary(course, use_cache=False)
    assert cached == uncached
    shown = f"questions/{cached_file.name}"
    located = [p for p in cached[3] if p.file == shown and p.severity == "error"]
    assert any("duplicate question id" in p.message and p.line > 1 for p in located), located
    assert any(f"unknown reference '{used}'" in p.message and p.line > 1 for p in located), located


def test_warnings_come_back_from_the_cache(course: Path, parses: list[str]) -> None:
    path = _topic_files(course)[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("topic:"))
    lines[index] += "  # TODO: say it better"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = _summary(course)
    todo = [p for p in first[3] if "TODO" in p.message]
    assert [p.line for p in todo] == [index + 1]
    parses.clear()
    assert _summary(course) == first
    assert lines[0] not in parses


def test_a_corrupt_cache_is_ignored_and_rewritten(course: Path) -> None:
    first = _summary(course)
    cache_file = cache_mod.ContentCache(course).path
    assert cache_file.is_file()
    cache_file.write_bytes(b"\x00{not json")
    assert _summary(course) == first
    rows = cache_file.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(_topic_files(course))
    assert all(json.loads(row.split("\t", 2)[2])["data"]["questions"] for row in rows)


def test_tampered_entries_are_not_trusted(course: Path) -> None:
    """A cache entry is plain data that is validated again: a forged one cannot inject a question
    that fails validation, and a wrong digest is a miss."""
    first = _summary(course)
    cache_file = cache_mod.ContentCache(course).path
    header, *rows = cache_file.read_text(encoding="utf-8").splitlines()
    forged = []
    for row in rows:
        name, digest, entry = row.split("\t", 2)
        stored = json.loads(entry)
        stored["data"]["questions"][0]["type"] = "not-a-type"
        forged.append(f"{name}\t{digest}\t{json.dumps(stored)}")
    cache_file.write_text("\n".join([header, *forged]) + "\n", encoding="utf-8")
    assert _summary(course) == first
    # A forged entry under a wrong digest is never even decoded.
    cache_file.write_text(f"{header}\n{rows[0].split(chr(9))[0]}\tbad\t{{\n", encoding="utf-8")
    assert _summary(course) == first


def test_no_cache_when_turned_off(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KDQUIZ_NO_CACHE", "1")
    load_content(course)
    assert not cache_mod.ContentCache(course).path.exists()


def test_an_unwritable_cache_directory_is_not_an_error(
    course: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data directory should be", encoding="utf-8")
    monkeypatch.setenv("KDQUIZ_HOME", str(blocker))
    assert _summary(course) == _summary(course, use_cache=False)


def test_exercises_only(course: Path, parses: list[str]) -> None:
    loaded = load_content(course, questions=False)
    assert not loaded.questions and not loaded.problems
    assert list(loaded.exercises) == list(load_content(course).exercises)
    topic_first_lines = {
        p.read_text(encoding="utf-8").splitlines()[0] for p in _topic_files(course)
    }
    assert len(parses) > len(loaded.exercises)
    assert not topic_first_lines & set(parses[: len(loaded.exercises) + 1])


def test_caches_of_trees_not_loaded_for_a_month_are_deleted(course: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(course, other)
    load_content(other)
    old_cache = cache_mod.ContentCache(other).path
    month_ago = time.time() - 31 * 86400
    os.utime(old_cache, (month_ago, month_ago))
    load_content(course)  # writes its own cache, and forgets the stale one
    assert cache_mod.ContentCache(course).path.is_file()
    assert not old_cache.exists()
    # A cache that is used but unchanged is touched, so it is not taken for stale.
    mine = cache_mod.ContentCache(course).path
    os.utime(mine, (month_ago, month_ago))
    load_content(course)
    assert mine.stat().st_mtime > time.time() - 3600
