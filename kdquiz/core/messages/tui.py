"""The terminal app's words."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "tui.home.title": {"en": "Knowledge distillation interview prep", "zh": "知识蒸馏面试准备"},
    "tui.home.exercises": {
        "en": "Exercises passed: {passed}/{total}",
        "zh": "已通过练习：{passed}/{total}",
    },
    "tui.home.mastery": {"en": "Mastery by topic", "zh": "各主题掌握程度"},
    "tui.home.loading": {"en": "Loading content…", "zh": "正在加载内容…"},
    "tui.home.broken": {
        "en": "The content has problems; run 'kdquiz validate'. {first}",
        "zh": "内容有问题；请运行 'kdquiz validate'。{first}",
    },
    "tui.key.quiz": {"en": "Quiz", "zh": "测验"},
    "tui.key.review": {"en": "Review due", "zh": "复习到期"},
    "tui.key.exercises": {"en": "Exercises", "zh": "练习"},
    "tui.key.progress": {"en": "Progress", "zh": "进度"},
    "tui.key.settings": {"en": "Settings", "zh": "设置"},
    "tui.key.help": {"en": "Help", "zh": "帮助"},
    "tui.quiz.none": {"en": "No questions match.", "zh": "没有符合条件的题目。"},
    "tui.quiz.choose": {
        "en": "Press a letter to choose, then Enter.",
        "zh": "按字母选择，然后按回车。",
    },
    "tui.quiz.choose_many": {
        "en": "Press letters to toggle, then Enter.",
        "zh": "按字母切换选择，然后按回车。",
    },
    "tui.quiz.type_number": {
        "en": "Type a number, then Enter.",
        "zh": "输入一个数，然后按回车。",
    },
    "tui.quiz.type_short": {
        "en": "Type your answer (or just think), then Enter to reveal.",
        "zh": "输入你的答案（或只在心里作答），按回车显示参考答案。",
    },
    "tui.quiz.done": {
        "en": "Session done: {right}/{graded} right, {self_rated} self-rated. Press Escape to go back.",
        "zh": "本轮完成：答对 {right}/{graded}，自评 {self_rated} 题。按 Esc 返回。",
    },
    "tui.quiz.progress": {
        "en": "Question {index}/{total} · {topic} · {kind} · difficulty {difficulty}",
        "zh": "第 {index}/{total} 题 · {topic} · {kind} · 难度 {difficulty}",
    },
    "tui.kind.single": {"en": "single choice", "zh": "单选"},
    "tui.kind.multiple": {"en": "multiple choice", "zh": "多选"},
    "tui.kind.short": {"en": "short answer", "zh": "简答"},
    "tui.kind.numeric": {"en": "numeric", "zh": "数值"},
    "tui.kind.code": {"en": "spot the bug", "zh": "找错误"},
    "tui.ex.status.new": {"en": "new", "zh": "未开始"},
    "tui.ex.status.started": {"en": "started", "zh": "进行中"},
    "tui.ex.status.passing": {"en": "passing", "zh": "已通过"},
    "tui.ex.columns": {"en": "exercise|level|status|title", "zh": "练习|难度|状态|标题"},
    "tui.ex.file": {"en": "Your file: {path}", "zh": "你的文件：{path}"},
    "tui.ex.no_file": {
        "en": "Press s to start: the starter is copied to {path}",
        "zh": "按 s 开始：起始代码会复制到 {path}",
    },
    "tui.ex.checking": {"en": "Checking…", "zh": "正在检查…"},
    "tui.ex.warming": {
        "en": "Starting the grader (importing torch)…",
        "zh": "正在启动评分器（导入 torch）…",
    },
    "tui.ex.result": {
        "en": "{verdict} {score}/{max} in {seconds:.2f}s ({isolation} isolation)",
        "zh": "{verdict} {score}/{max}，用时 {seconds:.2f} 秒（{isolation} 隔离）",
    },
    "tui.ex.pass": {"en": "PASS", "zh": "通过"},
    "tui.ex.fail": {"en": "FAIL", "zh": "未通过"},
    "tui.ex.error": {"en": "ERROR", "zh": "错误"},
    "tui.ex.timeout": {"en": "TIMEOUT", "zh": "超时"},
    "tui.ex.saved": {"en": "Saved. Checking again…", "zh": "已保存，正在重新检查…"},
    "tui.ex.hint": {"en": "Hint {level}/{total}: {text}", "zh": "提示 {level}/{total}：{text}"},
    "tui.ex.no_more_hints": {"en": "That was the last hint.", "zh": "这是最后一条提示。"},
    "tui.ex.solution_locked": {
        "en": "Pass the check first (or use 'kdquiz solution ID --give-up').",
        "zh": "请先通过检查（或使用 'kdquiz solution ID --give-up'）。",
    },
    "tui.ex.yours": {"en": "Your code", "zh": "你的代码"},
    "tui.ex.reference": {"en": "Reference", "zh": "参考答案"},
    "tui.ex.editor_failed": {
        "en": "Could not start the editor '{editor}': set it in Settings.",
        "zh": "无法启动编辑器 '{editor}'：请在设置中修改。",
    },
    "tui.progress.history": {
        "en": "Answers per day (last 30 days): green right, red wrong",
        "zh": "每日作答（最近 30 天）：绿色为对，红色为错",
    },
    "tui.progress.weakest": {"en": "Weakest topics: {topics}", "zh": "最薄弱的主题：{topics}"},
    "tui.settings.title": {"en": "Settings", "zh": "设置"},
    "tui.settings.lang": {"en": "Language", "zh": "语言"},
    "tui.settings.workspace": {"en": "Workspace folder", "zh": "工作目录"},
    "tui.settings.editor": {"en": "Editor command", "zh": "编辑器命令"},
    "tui.settings.size": {"en": "Questions per session", "zh": "每轮题数"},
    "tui.settings.saved": {"en": "Settings saved.", "zh": "设置已保存。"},
    "tui.settings.invalid": {
        "en": "Session size must be a number from 1 to 200.",
        "zh": "每轮题数必须是 1 到 200 之间的数。",
    },
}
