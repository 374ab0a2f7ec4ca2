"""Messages of the CLI, validation and the plain-terminal quiz."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "exercise.unknown": {
        "en": "unknown exercise '{id}'{hint}",
        "zh": "未知练习 '{id}'{hint}",
    },
    "exercise.your_file": {"en": "Your file: {path}", "zh": "已创建你的文件：{path}"},
    "exercise.then_check": {
        "en": "Edit it, then run: kdquiz check {id}",
        "zh": "编辑它，然后运行：kdquiz check {id}",
    },
    "exercise.kept": {
        "en": "Your file already exists and was kept: {path} (use --force to start over)",
        "zh": "你的文件已存在，未覆盖：{path}（用 --force 重新开始）",
    },
    "exercise.solution_locked": {
        "en": "pass the check first, or use --give-up to see it now (this is recorded)",
        "zh": "先通过检查，或用 --give-up 直接查看（会被记录）",
    },
    "check.all_pass": {
        "en": "All tests pass! Compare with the reference: kdquiz solution {id}",
        "zh": "全部通过！用 kdquiz solution {id} 对照参考答案。",
    },
    "check.no_file": {
        "en": "no file yet at {path}: run 'kdquiz exercise start {id}' first",
        "zh": "还没有你的文件（{path}）：先运行 kdquiz exercise start {id}",
    },
    "check.watching": {
        "en": "Watching; saving the file checks it again (Ctrl-C to stop)",
        "zh": "正在监视文件，保存即重新检查（Ctrl-C 退出）",
    },
    "exercise.last_hint": {"en": "That was the last hint.", "zh": "这是最后一条提示。"},
    "check.every_failing": {
        "en": "Every failing test above: {message}",
        "zh": "以上每个失败的测试：{message}",
    },
    "check.isolation": {"en": "isolation {level}", "zh": "隔离级别：{level}"},
    "check.seed": {"en": " · seed {seed}", "zh": " · 种子 {seed}"},
    "check.printed": {"en": "Your code printed:", "zh": "你的代码输出："},
    "check.stuck": {"en": "Stuck? kdquiz hint {id}", "zh": "卡住了？kdquiz hint {id}"},
    "check.review_concepts": {
        "en": "Review the concepts behind it: kdquiz quiz --exercise {id}",
        "zh": "复习背后的概念：kdquiz quiz --exercise {id}",
    },
    "exercise.list.id": {"en": "exercise", "zh": "练习"},
    "exercise.list.level": {"en": "level", "zh": "难度"},
    "exercise.list.status": {"en": "status", "zh": "状态"},
    "exercise.list.title": {"en": "title", "zh": "标题"},
    "app.help": {
        "en": "kdquiz: interview preparation for knowledge distillation. Run with no command to open the app.",
        "zh": "kdquiz：知识蒸馏面试准备。不带命令运行即可打开应用。",
    },
    "error.line": {"en": "error: {message}", "zh": "错误：{message}"},
    "validate.ok": {
        "en": "{questions} questions, {exercises} exercises, {references} references: no problems.",
        "zh": "{questions} 道题、{exercises} 个练习、{references} 条参考文献：没有问题。",
    },
    "validate.summary": {
        "en": "{errors} error(s), {warnings} warning(s) in {root}",
        "zh": "{root} 中有 {errors} 个错误、{warnings} 个警告",
    },
    "content.broken": {
        "en": "the content has {count} problem(s); run 'kdquiz validate' to see them",
        "zh": "题库内容有 {count} 个问题；运行 'kdquiz validate' 查看",
    },
    "content.missing": {
        "en": "no content at {path}: pass --content DIR or set KDQUIZ_CONTENT to a folder with questions/",
        "zh": "{path} 没有题库内容：请用 --content DIR 或设置 KDQUIZ_CONTENT 指向含 questions/ 的文件夹",
    },
    "path.missing": {"en": "no such file: {path}", "zh": "文件不存在：{path}"},
    "quiz.none": {
        "en": "no questions match these filters (topics: {topics})",
        "zh": "没有符合筛选条件的题目（可用主题：{topics}）",
    },
    "quiz.header": {
        "en": "Question {index}/{total} · {topic} · difficulty {difficulty}",
        "zh": "第 {index}/{total} 题 · {topic} · 难度 {difficulty}",
    },
    "quiz.prompt.single": {"en": "Your answer (a letter): ", "zh": "你的答案（一个字母）："},
    "quiz.prompt.multiple": {
        "en": "Your answer (all correct letters, e.g. ac): ",
        "zh": "你的答案（所有正确选项的字母，如 ac）：",
    },
    "quiz.prompt.numeric": {"en": "Your answer (a number): ", "zh": "你的答案（一个数）："},
    "quiz.prompt.short": {
        "en": "Your answer (one line, or Enter to just think): ",
        "zh": "你的答案（一行；也可直接回车，只在心里作答）：",
    },
    "quiz.correct": {"en": "✓ Correct", "zh": "✓ 正确"},
    "quiz.wrong": {"en": "✗ Not quite", "zh": "✗ 不对"},
    "quiz.expected": {"en": "Answer: {answer}", "zh": "答案：{answer}"},
    "quiz.model_answer": {"en": "Model answer:", "zh": "参考答案："},
    "quiz.key_points": {"en": "Key points:", "zh": "要点："},
    "quiz.why_wrong": {"en": "Why the others are wrong:", "zh": "其他选项为什么错："},
    "quiz.explanation": {"en": "Why:", "zh": "解析："},
    "quiz.references": {"en": "References:", "zh": "参考文献："},
    "quiz.related": {
        "en": "Practise it: kdquiz exercise start {exercise}",
        "zh": "动手练习：kdquiz exercise start {exercise}",
    },
    "quiz.score": {
        "en": "Done: {right}/{graded} right ({self_rated} self-rated).",
        "zh": "完成：答对 {right}/{graded} 题（另有 {self_rated} 题自评）。",
    },
    "quiz.eof": {"en": "(no more input: stopping the quiz)", "zh": "（没有更多输入：结束答题）"},
}
