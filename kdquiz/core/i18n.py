"""Learner-facing strings in English and Chinese.

``t(key, lang, **values)`` looks a message up; every key must exist in both languages (a test
checks). Content text lives in the YAML; this catalogue holds the program's own words.
"""

from __future__ import annotations

import os

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    "app.help": {
        "en": "kdquiz: interview preparation for knowledge distillation. Run with no command to open the app.",
        "zh": "kdquiz：知识蒸馏面试准备。不带命令运行即可打开应用。",
    },
    "error.prefix": {"en": "error", "zh": "错误"},
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
    "quiz.prompt.rate": {
        "en": "How did you do? 1 again · 2 hard · 3 good · 4 easy: ",
        "zh": "答得怎么样？1 重来 · 2 困难 · 3 良好 · 4 简单：",
    },
    "quiz.invalid": {"en": "Not understood: {hint}", "zh": "无法识别：{hint}"},
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
    "tui.placeholder": {
        "en": "kdquiz — the full app is coming. For now: kdquiz quiz, kdquiz validate, kdquiz --help. Press q to quit.",
        "zh": "kdquiz —— 完整应用即将到来。现在可用：kdquiz quiz、kdquiz validate、kdquiz --help。按 q 退出。",
    },
}

# The terminal app's words (kept in the same catalogue so the completeness test covers them).
MESSAGES.update(
    {
        "tui.home.title": {"en": "Knowledge distillation interview prep", "zh": "知识蒸馏面试准备"},
        "tui.home.due": {
            "en": "Due today: {due} · new: {new} · streak: {streak} day(s) · retention: {retention}",
            "zh": "今天到期：{due} · 新题：{new} · 连续：{streak} 天 · 保持率：{retention}",
        },
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
        "tui.key.lang": {"en": "中文", "zh": "English"},
        "tui.key.back": {"en": "Back", "zh": "返回"},
        "tui.key.quit": {"en": "Quit", "zh": "退出"},
        "tui.key.submit": {"en": "Answer", "zh": "提交"},
        "tui.key.next": {"en": "Next", "zh": "下一题"},
        "tui.key.reveal": {"en": "Reveal", "zh": "显示答案"},
        "tui.key.check": {"en": "Check", "zh": "检查"},
        "tui.key.hint": {"en": "Hint", "zh": "提示"},
        "tui.key.edit": {"en": "$EDITOR", "zh": "外部编辑器"},
        "tui.key.editor": {"en": "Edit here", "zh": "内置编辑"},
        "tui.key.save": {"en": "Save", "zh": "保存"},
        "tui.key.solution": {"en": "Solution", "zh": "参考答案"},
        "tui.key.start": {"en": "Start", "zh": "开始"},
        "tui.key.practise": {"en": "Practise weakest", "zh": "练习薄弱主题"},
        "tui.quiz.custom": {"en": "Custom quiz", "zh": "自定义测验"},
        "tui.quiz.topic": {"en": "Topic", "zh": "主题"},
        "tui.quiz.any": {"en": "Any", "zh": "全部"},
        "tui.quiz.difficulty": {"en": "Difficulty", "zh": "难度"},
        "tui.quiz.kind": {"en": "Kind", "zh": "题型"},
        "tui.quiz.count": {"en": "How many", "zh": "题数"},
        "tui.quiz.nothing_due": {
            "en": "Nothing is due: here are new questions.",
            "zh": "没有到期的题目：下面是新题。",
        },
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
        "tui.quiz.rate": {
            "en": "Tick the key points you covered (1-6), then rate yourself: a again · h hard · g good · e easy",
            "zh": "勾选你答到的要点（1-6），然后自评：a 重来 · h 困难 · g 良好 · e 简单",
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
        "tui.help.title": {"en": "Keys", "zh": "按键"},
    }
)


def default_lang() -> str:
    """The language from ``KDQUIZ_LANG``, the saved settings, or the locale, else English."""
    env = os.environ.get("KDQUIZ_LANG", "")
    if env in LANGS:
        return env
    from kdquiz.core.settings import load_settings  # stdlib-only: cheap at start-up

    saved = load_settings().lang
    if saved in LANGS:
        return saved
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (falling back to English), formatted with ``values``."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
