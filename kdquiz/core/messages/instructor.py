"""Instructors: validation, authoring, cohort grading, exports."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Cohort grading (kdquiz grade) ------------------------------------------------------------
    "grade.no_such_file": {"en": "no such file: {path}", "zh": "文件不存在：{path}"},
    "grade.nothing": {"en": "no submissions to grade", "zh": "没有要评分的文件"},
    "grade.student_took": {"en": "{folder}: grading {file}", "zh": "{folder}：评分文件 {file}"},
    "grade.student_no_file": {
        "en": "{folder}: skipped: no {name} and {count} other .py files (expected one)",
        "zh": "{folder}：已跳过：没有 {name}，且有 {count} 个其他 .py 文件（应只有一个）",
    },
    # Hidden suites that do not load ----------------------------------------------------
    "suite.not_loaded": {
        "en": "the hidden suite of {id} could not be loaded: run 'kdquiz dev check {id}'",
        "zh": "{id} 的隐藏测试无法加载：请运行 'kdquiz dev check {id}'",
    },
    "suite.broken": {
        "en": "the hidden suite of {id} does not load: {where}: {error}",
        "zh": "{id} 的隐藏测试无法加载：{where}：{error}",
    },
}
