"""What a loaded content tree is: its questions, topics, bibliography and exercises, and every
problem found in it (see :func:`kdquiz.core.content.load_content`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kdquiz.core.checker import FileChecker
from kdquiz.core.models import Exercise, Question, Reference, TopicFile
from kdquiz.core.problems import Problem

BIBLIOGRAPHY = "bibliography.yaml"
COURSE_INFO = "info.yaml"
EXERCISE_FILE = "exercise.yaml"


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
    pending_refs: list[tuple[Question, tuple[str | int, ...], FileChecker]] = field(
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
