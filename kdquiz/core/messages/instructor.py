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
    # Graders exported to Gradescope and GitHub Actions --------------------------------------------
    "export.no_folder": {
        "en": "the folder {folder} does not exist: create it, or write somewhere else (-o)",
        "zh": "文件夹 {folder} 不存在：请先创建它，或写到别处（-o）",
    },
    "export.cannot_write": {
        "en": "cannot write {path}: {reason}",
        "zh": "无法写入 {path}：{reason}",
    },
    "export.visibility": {
        "en": "--test-visibility must be one of: {choices}",
        "zh": "--test-visibility 只能是：{choices}",
    },
    "export.gradescope_wrote": {
        "en": "wrote {path}: upload it as the autograder of a Gradescope programming assignment; "
        "students submit {file}",
        "zh": "已写出 {path}：把它上传为 Gradescope 编程作业的自动评分器；学生提交 {file}",
    },
    "export.bundle_inside": {
        "en": "the grading bundle holds the hidden suite: write it outside the template "
        "repository (--bundle)",
        "zh": "评分包里有隐藏测试：请把它写到模板仓库之外（--bundle）",
    },
    "export.github_wrote": {
        "en": "wrote {workflow}, {starter} (the starter) and {bundle}",
        "zh": "已写出 {workflow}、{starter}（初始代码）和 {bundle}",
    },
    "export.github_private": {
        "en": "keep the bundle out of the students' repositories: upload it privately and set the "
        "secrets KDQUIZ_BUNDLE_URL (and KDQUIZ_BUNDLE_TOKEN) as the workflow explains",
        "zh": "不要把评分包放进学生的仓库：私下上传，并按工作流中的说明设置密钥 KDQUIZ_BUNDLE_URL"
        "（以及 KDQUIZ_BUNDLE_TOKEN）",
    },
    "export.no_submission": {
        "en": "No submission to grade: upload one file named {name} (found {count} other .py files).",
        "zh": "没有可评分的提交：请上传一个名为 {name} 的文件（找到 {count} 个其他 .py 文件）。",
    },
    "export.strict_unavailable": {
        "en": "Not graded: this grader was exported with strict isolation, and this machine does "
        "not allow it ({detail}). Instructor: re-export with '--isolation basic' to grade here "
        "under basic isolation (see docs/grading.md), or grade on a machine that allows it.",
        "zh": "未评分：此评分器以严格隔离（strict）导出，而这台机器不支持（{detail}）。"
        "教师：如需在此以基本隔离（basic）评分，请用 '--isolation basic' 重新导出"
        "（见 docs/grading.md），或在支持严格隔离的机器上评分。",
    },
    "export.grader_failed": {
        "en": "The autograder could not run (exit {status}): {detail}",
        "zh": "评分器无法运行（退出码 {status}）：{detail}",
    },
    "export.isolation_choice": {
        "en": "--isolation must be strict or basic, not '{value}'",
        "zh": "--isolation 只能是 strict 或 basic，而不是 '{value}'",
    },
    "export.isolation_said": {
        "en": "isolation: {level} (a platform that does not allow it reports 'not graded' and "
        "why; every result records the level it ran under)",
        "zh": "隔离级别：{level}（平台不支持时会报告“未评分”及原因；每个结果都记录实际的隔离级别）",
    },
    # Scaffolding (kdquiz new) ---------------------------------------------------------------------
    "new.needs_tree": {
        "en": "kdquiz new writes into your own content tree, never into kdquiz's: pass --content "
        "DIR, or run it in a folder with a kdquiz.yaml (add 'extends: bundled' to it to keep "
        "kdquiz's questions and exercises)",
        "zh": "kdquiz new 只写入你自己的内容目录，从不写入 kdquiz 自带的内容：请传入 --content DIR，"
        "或在含有 kdquiz.yaml 的文件夹中运行（在其中加上 'extends: bundled' 可保留 kdquiz 的题目和练习）",
    },
    "new.shadows_bundled": {
        "en": "'{id}' is the id of a bundled exercise: yours would replace it for your students. "
        "Choose another id, or pass --replace to replace it on purpose",
        "zh": "'{id}' 是 kdquiz 自带练习的 id：你的练习会为你的学生替换它。"
        "请换一个 id，或传入 --replace 有意替换",
    },
    "new.replacing_bundled": {
        "en": "your exercise '{id}' replaces the bundled one of that id",
        "zh": "你的练习 '{id}' 将替换同 id 的自带练习",
    },
}
