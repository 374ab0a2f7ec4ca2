"""The command-line help in Chinese, keyed by its English text.

The English source of a command's help is its docstring and the ``help=`` of its options (Typer
reads them there), so this part of the catalogue is keyed by that English text instead of a
name; :func:`kdquiz.core.i18n.help_text` looks it up. A test checks that every command and option
has its entry, so a new or reworded English help fails the tests until it is translated.
"""

from __future__ import annotations

# The words of the help screens' frame (Typer's own, looked up through gettext).
FRAME: dict[str, str] = {
    "Usage: ": "用法：",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Aborted!": "已中止！",
}

HELP: dict[str, str] = {
    # the root
    "Interview preparation for knowledge distillation: a spaced-repetition quiz and PyTorch "
    "exercises graded in a sandbox. Run with no command to open the app. "
    "知识蒸馏面试准备：间隔重复测验与沙箱评分的 PyTorch 练习。": (
        "知识蒸馏面试准备：间隔重复测验，以及在沙箱中评分的 PyTorch 练习。不带命令运行即可打开应用。"
    ),
    "Language of the program's text: en or zh.": "程序文字的语言：en 或 zh。",
    "A content tree (questions/, exercises/, solutions/) to use instead of the bundled one. "
    "Also KDQUIZ_CONTENT.": (
        "使用这个内容目录（含 questions/、exercises/、solutions/）代替自带的题库。"
        "也可设置 KDQUIZ_CONTENT。"
    ),
    "Print the version.": "显示版本号。",
    "Show this message and exit.": "显示此帮助并退出。",
    # content
    "Check the content: every problem at once, as file:line:column: message.": (
        "检查题库内容：一次列出所有问题，格式为 文件:行:列: 说明。"
    ),
    "Question files to check (default: the whole content tree).": (
        "要检查的题目文件（默认：整个内容目录）。"
    ),
    "Print the JSON Schema of a question file (for editors that validate YAML as you type).": (
        "输出题目文件的 JSON Schema（供编辑器在输入时校验 YAML）。"
    ),
    # quiz
    "Answer questions in the plain terminal. Answers can be piped on stdin.": (
        "在普通终端里答题。答案也可以通过标准输入传入。"
    ),
    "Only this topic (repeatable).": "只出这个主题的题（可重复）。",
    "Only this difficulty, 1-3 (repeatable).": "只出这个难度的题，1-3（可重复）。",
    "Only this kind: single, multiple, short, numeric, code (repeatable).": (
        "只出这种题型：single、multiple、short、numeric、code（可重复）。"
    ),
    "Only questions with this tag (repeatable).": "只出带这个标签的题（可重复）。",
    "Only questions behind this exercise (repeatable).": "只出与这个练习相关的题（可重复）。",
    "How many questions.": "题目数量。",
    "Fix the order and template numbers (for scripts).": "固定出题顺序和模板中的数字（供脚本使用）。",
    # exercises
    "Grade your workspace file for an exercise with its hidden tests.": (
        "用隐藏测试为你工作区里的练习文件评分。"
    ),
    "The exercise id.": "练习的 id。",
    "Check again every time the file is saved.": "每次保存文件时重新检查。",
    "Seconds allowed (default: the exercise's).": "允许的秒数（默认：练习自己的设定）。",
    "auto, strict or basic.": "auto、strict 或 basic。",
    "Show the next hint (each hint is stronger than the last); recorded.": (
        "显示下一条提示（一条比一条更明确）；会被记录。"
    ),
    "Show the reference solution: after a pass, or with --give-up.": (
        "显示参考答案：通过之后，或加 --give-up。"
    ),
    "Show it before passing (recorded).": "在通过之前就查看（会被记录）。",
    "Grade submissions. Exit 0 if all pass, 1 if any does not, 2 if grading cannot run.": (
        "为提交评分。全部通过时退出码为 0，有未通过的为 1，无法评分时为 2。"
    ),
    "Submissions, or folders of them.": "提交的文件，或存放它们的文件夹。",
    "text, json, csv, junit or gradescope.": "text、json、csv、junit 或 gradescope。",
    "Write the results here instead of stdout.": "把结果写到这个文件，而不是标准输出。",
    "Also write a self-contained HTML cohort report.": "同时写出一份独立的 HTML 班级报告。",
    "Grade this many submissions at once.": "同时评分的提交数。",
    "Gradescope test visibility: visible, hidden, after_due_date, after_published.": (
        "Gradescope 中测试的可见性：visible, hidden, after_due_date, after_published。"
    ),
    "Seconds allowed per submission.": "每份提交允许的秒数。",
    "auto, strict (fail rather than grade weakly) or basic.": (
        "auto、strict（宁可失败也不在较弱的隔离下评分）或 basic。"
    ),
    "List and start exercises.": "列出并开始练习。",
    "The exercises in suggested order, with your status.": "按建议顺序列出练习及你的进度。",
    "Copy the starter into your workspace and show the statement.": (
        "把起始代码复制到你的工作区，并显示题目说明。"
    ),
    "Replace your file with the starter (a backup is kept).": (
        "用起始代码替换你的文件（会保留备份）。"
    ),
    "Tools for content authors.": "内容作者的工具。",
    "Prove the course: references and alternatives pass, starters and mutants fail.": (
        "验证课程：参考答案和其他正确写法必须通过，起始代码和变异体必须失败。"
    ),
    "Exercises (default: all).": "练习（默认：全部）。",
    # progress
    "A session of the questions due today (spaced repetition), then a few new ones.": (
        "今天到期的题目（间隔重复），然后是几道新题。"
    ),
    "New questions to add after the due ones.": "到期题目之后再加的新题数量。",
    "At most this many questions.": "最多这么多题。",
    "Due counts, retention, streak, per-topic mastery and exercise completion.": (
        "到期数量、记忆保持率、连续天数、各主题掌握度与练习完成情况。"
    ),
    "Machine-readable output.": "输出机器可读的格式。",
    "Export, import or reset your progress.": "导出、导入或重置你的学习进度。",
    "Write all your progress to a JSON file (cards and every recorded event).": (
        "把你的全部进度写入一个 JSON 文件（卡片和每一条记录的事件）。"
    ),
    "Where to write the JSON.": "JSON 写到哪里。",
    "Merge progress from a JSON export (its cards win; events are added once).": (
        "合并一个 JSON 导出文件中的进度（以其中的卡片为准；事件只添加一次）。"
    ),
    "A file written by 'progress export'.": "由 'progress export' 写出的文件。",
    "Start afresh (the old database is kept as a backup next to it).": (
        "从头开始（旧数据库会作为备份保留在旁边）。"
    ),
    "Do not ask for confirmation.": "不要求确认。",
    # authoring
    "Scaffold a question or an exercise.": "生成题目或练习的骨架。",
    "Append a commented question skeleton (both languages) to a topic file, or start one.": (
        "向主题文件追加一个带注释的题目骨架（中英文），文件不存在时新建。"
    ),
    "Topic slug (the file questions/TOPIC.yaml).": "主题标识（即文件 questions/TOPIC.yaml）。",
    "single, multiple, short, numeric or code.": "single、multiple、short、numeric 或 code。",
    "Create the statement, starter, suite, reference, mutant and alternative of a new exercise.": (
        "为新练习创建题目说明、起始代码、测试套件、参考答案、一个变异体和一个其他正确写法。"
    ),
    "The new exercise's id (lowercase, '_').": "新练习的 id（小写字母与 '_'）。",
    "Topic slug shared with the questions.": "与题目共用的主题标识。",
    # doctor
    "What kdquiz sees on this machine: torch, isolation, paths, editor (paste it in an issue).": (
        "kdquiz 在这台机器上看到的情况：torch、隔离级别、各个路径、编辑器（提交问题时可直接粘贴）。"
    ),
    # serve
    "Serve the app in a browser: each tab is its own session (Ctrl+C stops).": (
        "在浏览器中提供这个应用：每个标签页是独立的会话（按 Ctrl+C 停止）。"
    ),
    "Address to listen on (127.0.0.1: this machine only).": "监听的地址（127.0.0.1：仅本机）。",
    "Port to listen on.": "监听的端口。",
    # export
    "Build a Gradescope autograder (setup.sh, run_autograder, the suite and the reference).": (
        "构建 Gradescope 自动评分包（setup.sh、run_autograder、测试套件和参考答案）。"
    ),
    "The autograder zip to write.": "要写出的自动评分 zip 文件。",
    "visible, hidden, after_due_date or after_published.": (
        "visible、hidden、after_due_date 或 after_published。"
    ),
    "Write the autograding workflow and the starter into the template repository, and the\n"
    "grading bundle (the hidden suite: keep it private) next to it.": (
        "把自动评分工作流和起始代码写入模板仓库，并在旁边写出评分包（其中有隐藏测试：不要公开）。"
    ),
    "Folder of the template repository.": "模板仓库的文件夹。",
    "Export an exercise's grader to Gradescope or GitHub Classroom, or the questions to Anki.": (
        "把练习的评分器导出到 Gradescope 或 GitHub Classroom，或把题目导出到 Anki。"
    ),
    "Write the question bank as an Anki deck; a later export updates the same cards.": (
        "把题库写成 Anki 牌组；以后再导出会更新同一批卡片。"
    ),
    "The Anki package (.apkg) to write.": "要写出的 Anki 牌组文件（.apkg）。",
    "Language of the cards: en, zh or both (default: kdquiz's).": (
        "卡片的语言：en、zh 或 both（默认与 kdquiz 当前语言相同）。"
    ),
    "Where to write the private grading bundle (not in the repository).": (
        "私有评分包写到哪里（不要放在仓库里）。"
    ),
    # interview
    "A timed mock interview: concept questions, follow-ups, one exercise, a scorecard.": (
        "限时模拟面试：概念题、追问、一道编程练习，以及评分卡。"
    ),
    "Length of the session.": "面试时长（分钟）。",
    "Only this topic (questions and exercise).": "只考这个主题（题目和练习）。",
    "Difficulty, 1-3.": "难度，1-3。",
    "Fix the questions, exercise and numbers (replayable).": "固定题目、练习和数字（可重放）。",
    "Continue the last unfinished session.": "继续上一次未完成的面试。",
    "List past sessions instead of starting one.": "列出以往的面试，而不是开始新的一次。",
    "Print the history or the scorecard as JSON.": "以 JSON 输出历史记录或评分卡。",
    "Your progress (the same as 'stats'), or export, import or reset it.": (
        "你的学习进度（与 'stats' 相同），或导出、导入、重置它。"
    ),
    "Grade submissions (files, folders of them, or folders of one folder per student).\nExit 0 if all pass, 1 if any does not, 2 if grading cannot run.": "为提交评分（文件、存放文件的文件夹，或每个学生一个子文件夹的文件夹）。全部通过时退出码为 0，有未通过的为 1，无法评分时为 2。",
    "Replay a grade: the run seed recorded in its result (default: a fresh one, the same for every submission of this run).": "重现一次评分：使用其结果中记录的运行种子（默认：新抽取一个，本次运行的所有提交共用）。",
    "Write the GitHub Actions workflow (per-test points; reports to GitHub Classroom too) and\nthe starter into the template repository, and the grading bundle (the hidden suite: keep\nit private) next to it.": "把 GitHub Actions 工作流（按测试计分；也向 GitHub Classroom 报告）和起始代码写入模板仓库，并在旁边写出评分包（其中有隐藏测试：不要公开）。",
    "The isolation the platform must grade under: strict (default; a platform that does not allow it reports 'not graded' with the reason) or basic (your explicit choice; see docs/grading.md for what it does not stop).": "平台评分时必须使用的隔离级别：strict（默认；平台不支持时报告“未评分”及原因）或 basic（由你明确选择；它挡不住什么，见 docs/grading.md）。",
    "Replace the bundled exercise that has this id.": "替换具有此 id 的自带练习。",
}
