"""The question bank as an Anki deck (``kdquiz export anki``), written with genanki.

One note per question (a numeric template gives a few fixed instances), one note type per
question kind, tags by topic, kind and difficulty. Every id Anki keys on is derived from a YAML
id, never drawn: the note GUIDs from the question ids, the note types' and the deck's ids from
fixed names. Importing a later export of an edited bank therefore updates the learner's cards
(and keeps their review history) instead of adding duplicates.

Texts are rendered to HTML here: Markdown (``code``, **bold**, lists) with markdown-it, code
snippets highlighted with Pygments (inline styles, so no stylesheet is needed in Anki).
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kdquiz.core.models import Question, QuestionType, Reference, Text
from kdquiz.core.quiz import LETTERS, AskedQuestion, ask, expected_text

Lang = Literal["en", "zh", "both"]
TEMPLATE_INSTANCES = 3  # fixed instances of a numeric template (its params drawn from its id)
FIELDS = ("Prompt", "Code", "Choices", "Answer", "Explanation", "References", "Id")

CSS = """
.card { font-family: -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif;
        font-size: 18px; text-align: left; color: #222; background: #fff; line-height: 1.5; }
.nightMode .card, .card.nightMode { color: #ddd; background: #1e1e1e; }
.zh { color: #555; margin-top: .4em; } .nightMode .zh { color: #aaa; }
.choices { margin: .6em 0; } .choice { margin: .2em 0; }
.right { color: #1a7f37; font-weight: bold; } .why { color: #666; font-size: 90%; }
pre { font-size: 15px; padding: .5em; border-radius: 4px; overflow-x: auto; }
code { font-family: "JetBrains Mono", Menlo, Consolas, monospace; }
.refs { font-size: 80%; color: #666; margin-top: 1em; } .id { font-size: 70%; color: #999; }
"""

FRONT = """<div class="prompt">{{Prompt}}</div>
{{#Code}}<div class="code">{{Code}}</div>{{/Code}}
{{#Choices}}<div class="choices">{{Choices}}</div>{{/Choices}}"""

BACK = """{{FrontSide}}<hr id="answer">
<div class="answer">{{Answer}}</div>
<div class="explanation">{{Explanation}}</div>
<div class="refs">{{References}}</div><div class="id">{{Id}}</div>"""

KIND_NAMES = {
    QuestionType.single: "single choice",
    QuestionType.multiple: "multiple choice",
    QuestionType.numeric: "numeric",
    QuestionType.short: "short answer",
    QuestionType.code: "code reading",
}


class AnkiError(Exception):
    """The deck cannot be written: ``path`` and the system's ``reason``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


def stable_id(*parts: str) -> int:
    """A 31-bit id from names (Anki model and deck ids must be fixed across exports)."""
    digest = hashlib.sha256("\x1f".join(("kdquiz", *parts)).encode()).digest()
    return 1 << 30 | int.from_bytes(digest[:4], "big") & ((1 << 30) - 1)


def note_guid(question_id: str, instance: int | None = None) -> str:
    """The GUID of a question's note (with the instance of a numeric template)."""
    import genanki

    parts = ("kdquiz", question_id) if instance is None else ("kdquiz", question_id, str(instance))
    return str(genanki.guid_for(*parts))


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": False}).render(text).strip()
    # one paragraph needs no <p> (keeps cards compact)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _code(snippet: str, language: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return f"<pre><code>{html.escape(snippet)}</code></pre>"
    return str(highlight(snippet, lexer, HtmlFormatter(noclasses=True, style="friendly")))


@dataclass(frozen=True)
class _Render:
    lang: Lang

    def text(self, value: Text) -> str:
        """One text in the chosen language(s), as HTML."""
        if self.lang == "both":
            return (
                f'<div class="en">{_markdown(value.en)}</div>'
                f'<div class="zh">{_markdown(value.zh)}</div>'
            )
        return _markdown(value.get(self.lang))


def _prompt(asked: AskedQuestion, render: _Render) -> str:
    if render.lang == "both":
        return (
            f'<div class="en">{_markdown(asked.prompt("en"))}</div>'
            f'<div class="zh">{_markdown(asked.prompt("zh"))}</div>'
        )
    return _markdown(asked.prompt(render.lang))


def _choices(question: Question, render: _Render) -> str:
    rows = [
        f'<div class="choice"><b>{LETTERS[i]}.</b> {render.text(choice.text)}</div>'
        for i, choice in enumerate(question.choices or [])
    ]
    return "".join(rows)


def _answer(asked: AskedQuestion, render: _Render) -> str:
    question = asked.question
    langs = ["en", "zh"] if render.lang == "both" else [render.lang]
    if question.choices:
        parts = []
        for i, choice in enumerate(question.choices):
            if choice.correct:
                parts.append(
                    f'<div class="choice right">{LETTERS[i]}. {render.text(choice.text)}</div>'
                )
            elif choice.why is not None:
                parts.append(
                    f'<div class="choice why"><b>{LETTERS[i]}</b>: {render.text(choice.why)}</div>'
                )
        return "".join(parts)
    if question.type is QuestionType.short:
        points = "".join(f"<li>{render.text(p)}</li>" for p in question.key_points or [])
        answer = render.text(question.answer) if question.answer else ""
        return f"{answer}<ul>{points}</ul>"
    return " / ".join(
        f'<span class="right">{html.escape(expected_text(asked, lang))}</span>' for lang in langs
    )


def _references(question: Question, bibliography: dict[str, Reference]) -> str:
    items = []
    for key in question.references:
        ref = bibliography.get(key)
        if ref is None:
            continue
        where = f", {html.escape(ref.venue)}" if ref.venue else ""
        link = f" arXiv:{ref.arxiv}" if ref.arxiv else ""
        items.append(
            f"{html.escape(ref.authors)}. <i>{html.escape(ref.title)}</i>{where} {ref.year}.{link}"
        )
    return "<br>".join(items)


def _instances(question: Question) -> list[tuple[int | None, AskedQuestion]]:
    if question.type is QuestionType.numeric and question.formula and question.params:
        rng = random.Random(f"anki:{question.id}")  # the same numbers on every export
        return [(i, ask(question, rng)) for i in range(TEMPLATE_INSTANCES)]
    return [(None, ask(question, random.Random(0)))]


def _models() -> dict[QuestionType, Any]:
    import genanki

    return {
        kind: genanki.Model(
            stable_id("model", kind.value),
            f"kdquiz · {name}",
            fields=[{"name": f} for f in FIELDS],
            templates=[{"name": name, "qfmt": FRONT, "afmt": BACK}],
            css=CSS,
            sort_field_index=FIELDS.index("Id"),
        )
        for kind, name in KIND_NAMES.items()
    }


def build_deck(
    questions: Iterable[Question],
    bibliography: dict[str, Reference],
    topic_titles: dict[str, str],
    lang: Lang = "en",
) -> Any:
    """A genanki deck with one note per question (or per instance of a numeric template)."""
    import genanki

    name = {"en": "kdquiz: knowledge distillation", "zh": "kdquiz：知识蒸馏", "both": "kdquiz"}[
        lang
    ]
    deck = genanki.Deck(stable_id("deck", lang), name)
    models = _models()
    render = _Render(lang)
    for question in questions:
        code = _code(question.code, question.code_language) if question.code else ""
        tags = [
            f"kdquiz::topic::{question.topic}",
            f"kdquiz::kind::{question.type.value}",
            f"kdquiz::difficulty::{question.difficulty}",
            *(f"kdquiz::tag::{t.replace(' ', '_')}" for t in question.tags),
        ]
        for instance, asked in _instances(question):
            shown_id = question.id if instance is None else f"{question.id} #{instance + 1}"
            topic = html.escape(topic_titles.get(question.topic or "", question.topic or ""))
            fields = [
                _prompt(asked, render),
                code,
                _choices(question, render) if question.choices else "",
                _answer(asked, render),
                render.text(question.explanation),
                _references(question, bibliography),
                f"{html.escape(shown_id)} · {topic}",
            ]
            deck.add_note(
                genanki.Note(
                    model=models[question.type],
                    fields=fields,
                    guid=note_guid(question.id, instance),
                    tags=tags,
                )
            )
    return deck


def write_package(deck: Any, path: Path) -> int:
    """Write ``deck`` as an .apkg file; returns the number of notes."""
    import genanki

    try:
        genanki.Package(deck).write_to_file(str(path))
    except OSError as exc:
        raise AnkiError(path, exc.strerror or str(exc)) from None
    return len(deck.notes)
