"""The content model: questions, exercises and the bibliography, as instructors write them in YAML.

These pydantic models are the single source of truth for the format. ``kdquiz schema`` prints the
JSON Schema generated from them, and the docstring under each field is what an instructor's editor
shows while typing. Nothing here imports torch or a UI.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT_VERSION = 1
LANGS = ("en", "zh")
SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG)
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_FOLD = re.compile(f"([{_CJK}]) (?=[{_CJK}])")


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, and docstrings document the schema."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class Text(Strict):
    """A piece of learner-facing text in every supported language."""

    en: str = Field(min_length=1)
    """English text (Markdown allowed)."""
    zh: str = Field(min_length=1)
    """Chinese text (Markdown allowed)."""

    @field_validator("zh")
    @classmethod
    def _unfold_chinese(cls, text: str) -> str:
        # YAML's folded style ('>-') joins lines with a space, which Chinese does not use.
        return _CJK_FOLD.sub(r"\1", text) if " " in text else text

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to English."""
        return self.zh if lang == "zh" else self.en


class QuestionType(str, Enum):
    """The kinds of question."""

    def __str__(self) -> str:  # as enum.StrEnum (Python 3.11+) does: the value itself
        return self.value

    single = "single"
    multiple = "multiple"
    short = "short"
    numeric = "numeric"
    code = "code"


class Choice(Strict):
    """One option of a single-choice, multiple-choice or code question."""

    text: Text
    """What the learner sees."""
    correct: bool = False
    """Whether this option is (one of) the right answer(s)."""
    why: Text | None = None
    """One line on why this option is wrong (required for wrong options) or right."""


class Param(Strict):
    """A parameter of a numeric template, drawn fresh each time the question is asked."""

    values: list[float] | None = None
    """Draw one of these values."""
    range: tuple[float, float] | None = None
    """Draw uniformly from [low, high], rounded to ``step``."""
    step: float | None = None
    """Rounding step for ``range`` draws (for example 0.5)."""

    @model_validator(mode="after")
    def _one_source(self) -> Param:
        if (self.values is None) == (self.range is None):
            raise ValueError("give exactly one of 'values' or 'range'")
        if self.values is not None and not self.values:
            raise ValueError("'values' must not be empty")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("'range' must be [low, high] with low <= high")
        return self


class OpenForm(Strict):
    """The question as an interviewer asks it without options: answered in the learner's own
    words, then compared with a model answer point by point (interview mode)."""

    prompt: Text | None = None
    """The open question; omit it when the question's own prompt reads well without options."""
    answer: Text
    """The model answer an interviewer would be happy with."""
    key_points: list[Text] = Field(min_length=2, max_length=6)
    """2-6 points the learner ticks off when comparing their answer with the model answer."""


class Question(Strict):
    """One interview question. The ``id`` keys the learner's progress, so never change it."""

    id: str = Field(pattern=SLUG)
    """Stable slug, unique across the whole bank (lowercase, digits, '-' or '_')."""
    type: QuestionType
    """single | multiple | short | numeric | code (code reading / spot the bug)."""
    topic: str | None = Field(default=None, pattern=SLUG)
    """Topic slug; defaults to the topic of the file."""
    difficulty: Literal[1, 2, 3]
    """1 (warm-up), 2 (typical interview), 3 (hard follow-up)."""
    tags: list[str] = Field(default_factory=list)
    """Free-form tags used for filtering (for example 'seed', 'temperature')."""
    prompt: Text
    """The question as asked."""
    code: str | None = None
    """Code shown with the question (required for 'code' questions), syntax-highlighted."""
    code_language: str = "python"
    """Language of ``code`` for highlighting."""
    choices: list[Choice] | None = None
    """Options, for single, multiple and code questions."""
    answer: Text | None = None
    """Short and code questions: the model answer an interviewer would be happy with."""
    key_points: list[Text] | None = None
    """Short answers: 3-6 points the learner ticks off when comparing with the model answer."""
    value: float | None = None
    """Numeric: the right number (omit for templates, which compute it with ``formula``)."""
    tolerance: float | None = Field(default=None, ge=0)
    """Numeric: the absolute tolerance accepted."""
    unit: Text | None = None
    """Numeric: the unit of the answer, if any."""
    params: dict[str, Param] | None = None
    """Numeric templates: parameters drawn fresh each time, used as {name} in the prompt."""
    formula: str | None = None
    """Numeric templates: an arithmetic expression of the params that computes the answer.
    Allowed: + - * / ** and exp, log, log2, sqrt, abs, min, max, sum, pi, e, and
    softmax(k, x0, x1, ...) = the softmax probability of entry k (see docs/authoring.md)."""
    explanation: Text
    """Why the answer is right: teach the idea, not just the fact."""
    references: list[str] = Field(min_length=1)
    """Keys into questions/bibliography.yaml."""
    related_exercises: list[str] = Field(default_factory=list)
    """Ids of exercises that practise this idea."""
    follow_ups: list[str] = Field(default_factory=list)
    """Ids of deeper questions an interviewer asks next on the same idea ("why T²?" -> "what
    goes wrong with a much larger teacher?"), used by interview mode."""
    open: OpenForm | None = None
    """Single, multiple, numeric and code questions: the open-answer form interview mode asks
    (short questions are open already)."""

    @field_validator("tags")
    @classmethod
    def _tags_are_slugs(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not SLUG_RE.match(tag):
                raise ValueError(f"tag {tag!r} is not a slug (lowercase letters, digits, '-')")
        return tags


class TopicFile(Strict):
    """A file of questions on one topic: questions/<topic>.yaml."""

    format_version: Literal[1] = 1
    """Version of this file format."""
    topic: str = Field(pattern=SLUG)
    """The topic slug (usually the file name without .yaml)."""
    title: Text
    """The topic's display name."""
    questions: list[Question]
    """The questions, in the order an instructor would ask them."""


class Reference(Strict):
    """One entry of the bibliography."""

    authors: str
    """Authors as printed, for example 'Hinton, Vinyals, Dean'."""
    title: str
    """Title of the paper or book."""
    year: int = Field(ge=1900, le=2100)
    """Year of publication."""
    venue: str | None = None
    """Conference, journal or publisher."""
    arxiv: str | None = Field(default=None, pattern=r"^\d{4}\.\d{4,5}$")
    """arXiv identifier such as 1503.02531, where there is one."""
    url: str | None = None
    """A stable link, if there is no arXiv id."""


class Bibliography(Strict):
    """questions/bibliography.yaml: the sources questions cite."""

    format_version: Literal[1] = 1
    """Version of this file format."""
    references: dict[str, Reference]
    """Citation key -> reference."""


class FunctionSpec(Strict):
    """A function the learner implements."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The Python name the hidden suite calls."""
    signature: str
    """The full signature as shown to the learner."""


class Mutant(Strict):
    """A known-wrong solution the suite must reject (solutions/<id>/mutants/<file>)."""

    file: str
    """File name under solutions/<id>/mutants/."""
    misconception: str
    """The mistake this mutant embodies, for authors (for example 'missing T^2')."""


class Alternative(Strict):
    """A correct solution written differently, which the suite must accept."""

    file: str
    """File name under solutions/<id>/alternatives/."""
    note: str = ""
    """How it differs from the reference."""


class Clarification(Strict):
    """A question a good candidate asks before coding, and the interviewer's answer."""

    question: Text
    """What the candidate asks ("Average over the batch or over all elements?")."""
    answer: Text
    """What the interviewer says ("Over the batch."), short, as an interviewer would."""


class InterviewPrompt(Strict):
    """How an interviewer poses the exercise: a few lines, no list of checks."""

    prompt: Text
    """Two to five lines, as said in an interview ("Implement the distillation loss ...")."""
    clarifications: list[Clarification] = Field(min_length=3)
    """At least three clarifying questions the candidate may ask, with the answers."""


class Exercise(Strict):
    """exercises/<id>/exercise.yaml: a graded coding exercise."""

    format_version: Literal[1] = 1
    """Version of this file format."""
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    """Stable id (also the folder name); keys the learner's progress."""
    title: Text
    """Short title."""
    topic: str = Field(pattern=SLUG)
    """Topic slug, shared with the question bank."""
    difficulty: Literal[1, 2, 3]
    """1 (entry), 2 (core), 3 (advanced)."""
    functions: list[FunctionSpec] = Field(min_length=1)
    """The functions to implement."""
    hints: list[Text] = Field(min_length=1)
    """Hints in increasing strength; the last may nearly give the answer."""
    statement: dict[Literal["en", "zh"], str] = Field(
        default_factory=lambda: {"en": "statement.en.md", "zh": "statement.zh.md"}  # type: ignore[arg-type]
    )
    """Markdown statement files, relative to the exercise folder."""
    starter: str = "starter.py"
    """The file copied into the learner's workspace."""
    suite: str = "test_hidden.py"
    """The hidden pytest suite, relative to the exercise folder."""
    reference: str = "reference.py"
    """The reference solution, relative to solutions/<id>/."""
    mutants: list[Mutant] = Field(default_factory=list)
    """Known-wrong solutions the suite must reject."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Correct solutions written differently that the suite must accept."""
    timeout: float = Field(default=20.0, gt=0, le=600)
    """Seconds allowed for one grading of one submission."""
    tags: list[str] = Field(default_factory=list)
    """Tags shared with related questions."""
    interview: InterviewPrompt | None = None
    """The exercise as posed in a mock interview (``kdquiz interview``)."""


class CourseInfo(Strict):
    """exercises/info.yaml: the exercises in their suggested order (as rustlings' info.toml)."""

    format_version: Literal[1] = 1
    """Version of this file format."""
    order: list[str]
    """Exercise ids in the suggested order."""
    planned: list[str] = Field(default_factory=list)
    """Ids of exercises announced but not written yet: questions may already link to them
    (reported as one warning), and they are not offered to learners."""


class ContentManifest(Strict):
    """kdquiz.yaml at the root of an instructor's content tree (optional)."""

    format_version: Literal[1] = 1
    """Version of this file format."""
    extends: Literal["bundled"] | None = None
    """'bundled' adds this tree to kdquiz's own questions and exercises (same exercise id:
    this tree's wins); without it the tree replaces them."""
    bundled_exercises: list[str] | None = None
    """With 'extends: bundled': only these of kdquiz's own exercises are kept for your learners
    (all of them when absent; your own exercises are always included)."""


Bank = Annotated[list[TopicFile], "all topic files"]


def question_file_schema() -> dict[str, object]:
    """The JSON Schema of a question file, for editors (``kdquiz schema``)."""
    schema = TopicFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kdquiz question file"
    return schema
