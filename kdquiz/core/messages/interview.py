"""Interview mode: the session, its clock and the scorecard."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # planning
    "iv.error.minutes": {
        "en": "--minutes must be between {low} and {high}",
        "zh": "--minutes 必须在 {low} 到 {high} 之间",
    },
    "iv.error.level": {"en": "--level must be 1, 2 or 3", "zh": "--level 必须是 1、2 或 3"},
    "iv.error.topic": {"en": "unknown topic '{topic}'{hint}", "zh": "未知主题 '{topic}'{hint}"},
    "iv.error.no_questions": {
        "en": "no questions to ask{where}",
        "zh": "没有可以提问的题目{where}",
    },
    "iv.error.unreadable": {
        "en": "cannot read the saved session {path}: {reason}",
        "zh": "无法读取保存的面试记录 {path}：{reason}",
    },
    "iv.plan": {
        "en": "Plan: {concepts} concept question(s) ({concept_time}), "
        "{follow_ups} follow-up(s) ({follow_time})",
        "zh": "安排：{concepts} 道概念题（{concept_time}），{follow_ups} 道追问（{follow_time}）",
    },
    "iv.plan.coding": {
        "en": "then coding: {exercise} ({time}). Time you save on a question carries over to "
        "the next one, so the clock can show more than a step's own share.",
        "zh": "然后是编程：{exercise}（{time}）。某道题省下的时间会留给下一题，所以计时器显示的"
        "剩余时间可能多于该环节本身的份额。",
    },
    "iv.plan.no_coding": {
        "en": "No exercise has an interview prompt yet: this session has no coding part.",
        "zh": "还没有带面试题面的练习：本次面试没有编程环节。",
    },
    # parts and verdicts
    "iv.part.concept": {"en": "Concepts", "zh": "概念题"},
    "iv.part.follow_up": {"en": "Follow-ups", "zh": "追问"},
    "iv.part.coding": {"en": "Coding", "zh": "编程"},
    "iv.verdict.strong": {"en": "strong", "zh": "优秀"},
    "iv.verdict.on_track": {"en": "on track", "zh": "基本达标"},
    "iv.verdict.needs_work": {"en": "needs work", "zh": "需要加强"},
    # asking
    "iv.follow_up_intro": {
        "en": "The interviewer digs deeper:",
        "zh": "面试官继续追问：",
    },
    "iv.model_answer": {"en": "Model answer:", "zh": "参考回答："},
    "iv.key_points": {"en": "Key points:", "zh": "要点："},
    "iv.covered": {
        "en": "You covered {covered} of {total} key points.",
        "zh": "你答到了 {total} 个要点中的 {covered} 个。",
    },
    "iv.right": {"en": "Right.", "zh": "正确。"},
    "iv.wrong": {"en": "Not right.", "zh": "不正确。"},
    "iv.expected": {"en": "Expected: {answer}", "zh": "正确答案：{answer}"},
    "iv.times_up_kept": {
        "en": "Time's up for this question: your answer was kept.",
        "zh": "这道题的时间到了：你的回答已保留。",
    },
    "iv.times_up_grading": {
        "en": "Time's up: grading your last saved file.",
        "zh": "时间到：正在为你最后保存的文件评分。",
    },
    "iv.interviewer": {"en": "Interviewer: {answer}", "zh": "面试官：{answer}"},
    # coding
    "iv.coding.file": {
        "en": "Your file (signature and docstring only): {path}",
        "zh": "你的文件（只有函数签名和文档字符串）：{path}",
    },
    "iv.coding.run": {
        "en": "Run {number}: {passed}/{total} tests pass",
        "zh": "第 {number} 次运行：{passed}/{total} 个测试通过",
    },
    "iv.coding.hint": {"en": "Hint {level}/{total}: {text}", "zh": "提示 {level}/{total}：{text}"},
    "iv.coding.no_more_hints": {"en": "No more hints.", "zh": "没有更多提示了。"},
    "iv.coding.final": {
        "en": "Grading your last saved file with the hidden tests…",
        "zh": "正在用隐藏测试为你最后保存的文件评分……",
    },
    "iv.coding.result": {
        "en": "Final: {passed}/{total} hidden tests pass.",
        "zh": "最终结果：{passed}/{total} 个隐藏测试通过。",
    },
    "iv.file.title": {
        "en": "Mock interview: {exercise}",
        "zh": "模拟面试：{exercise}",
    },
    "iv.file.how": {
        "en": "Implement it here and save; ask clarifying questions and run the checks in kdquiz.",
        "zh": "在这里实现并保存；在 kdquiz 中提出澄清问题、运行检查。",
    },
    # the app
    "iv.tui.key.interview": {"en": "Interview", "zh": "模拟面试"},
    "iv.tui.key.start": {"en": "Start", "zh": "开始"},
    "iv.tui.key.resume": {"en": "Resume", "zh": "继续"},
    "iv.tui.key.submit": {"en": "Submit", "zh": "提交"},
    "iv.tui.key.ask": {"en": "Ask", "zh": "提问"},
    "iv.tui.key.run": {"en": "Run checks", "zh": "运行检查"},
    "iv.tui.key.done": {"en": "Done", "zh": "完成"},
    "iv.tui.key.statement": {"en": "Full statement", "zh": "完整题面"},
    "iv.tui.setup.title": {"en": "Mock interview", "zh": "模拟面试"},
    "iv.tui.setup.intro": {
        "en": "A timed interview loop: open concept questions (about a third of the time), "
        "follow-ups, then one exercise from its interviewer's prompt (about half), and a "
        "scorecard. The session is saved as you go.",
        "zh": "限时的面试流程：开放式概念题（约三分之一时间）、追问，然后根据面试官的题面完成一道编程练习"
        "（约一半时间），最后给出评分卡。面试过程随时保存。",
    },
    "iv.tui.setup.minutes": {"en": "Minutes", "zh": "时长（分钟）"},
    "iv.tui.setup.topic": {"en": "Topic", "zh": "主题"},
    "iv.tui.setup.level": {"en": "Level", "zh": "难度"},
    "iv.tui.setup.seed": {"en": "Seed (optional)", "zh": "种子（可选）"},
    "iv.tui.setup.any": {"en": "Any", "zh": "不限"},
    "iv.tui.setup.resume": {
        "en": "Unfinished session {id} ({done}/{total} steps done): Ctrl+R resumes it.",
        "zh": "有未完成的面试 {id}（已完成 {done}/{total} 步）：按 Ctrl+R 继续。",
    },
    "iv.tui.setup.bad_minutes": {
        "en": "Minutes must be a whole number from {low} to {high}.",
        "zh": "时长必须是 {low} 到 {high} 之间的整数。",
    },
    "iv.tui.clock": {
        "en": "{part} {number}/{count} · {left} left",
        "zh": "{part} {number}/{count} · 剩余 {left}",
    },
    "iv.tui.clock.paused": {
        "en": "{part} {number}/{count} · {left} left (paused while you compare)",
        "zh": "{part} {number}/{count} · 剩余 {left}（对照答案时暂停计时）",
    },
    "iv.tui.answer_open": {
        "en": "Answer in your own words, then Ctrl+S.",
        "zh": "用自己的话回答，然后按 Ctrl+S。",
    },
    "iv.tui.fallback": {
        "en": "No open form for this question: choose with the letters, then Enter.",
        "zh": "这道题没有开放式问法：用字母选择，然后按回车。",
    },
    "iv.tui.number": {
        "en": "No open form for this question: type the number, then Enter.",
        "zh": "这道题没有开放式问法：输入数字，然后按回车。",
    },
    "iv.tui.compare": {
        "en": "Tick the key points you covered with 1-{last}, then Enter.",
        "zh": "用 1-{last} 勾选你答到的要点，然后按回车。",
    },
    "iv.tui.next": {"en": "Enter: next", "zh": "回车：下一步"},
    "iv.tui.yours": {"en": "Your answer:", "zh": "你的回答："},
    "iv.tui.coding.keys": {
        "en": "a ask a clarifying question · o $EDITOR · i edit here · r run the checks · "
        "h hint · d done",
        "zh": "a 提澄清问题 · o 外部编辑器 · i 内置编辑 · r 运行检查 · h 提示 · d 完成",
    },
    "iv.tui.coding.asked": {"en": "Clarifications asked:", "zh": "已提的澄清问题："},
    "iv.tui.coding.running": {"en": "Running the checks…", "zh": "正在运行检查……"},
    "iv.tui.clarify.title": {
        "en": "Ask the interviewer (Enter asks, Escape goes back)",
        "zh": "向面试官提问（回车提问，Esc 返回）",
    },
    "iv.tui.card.tests": {
        "en": "tests passed: {passed}/{total}",
        "zh": "通过测试：{passed}/{total}",
    },
    "iv.tui.card.asked": {
        "en": "clarifications {clarifications} · runs {runs} · hints {hints}",
        "zh": "澄清问题 {clarifications} · 运行 {runs} · 提示 {hints}",
    },
    "iv.tui.card.part": {"en": "part", "zh": "环节"},
    "iv.tui.card.time": {"en": "time used", "zh": "用时"},
    "iv.tui.card.score": {"en": "what happened", "zh": "表现"},
    "iv.tui.card.verdict": {"en": "verdict", "zh": "评价"},
    # the plain terminal
    "iv.cli.start": {
        "en": "Mock interview · {minutes} min · level {level} · seed {seed} · session {id} "
        "(saved as you go)",
        "zh": "模拟面试 · {minutes} 分钟 · 难度 {level} · 种子 {seed} · 记录 {id}（随时保存）",
    },
    "iv.cli.resumed": {
        "en": "Resuming mock interview {id} · {minutes} min · level {level} · seed {seed}",
        "zh": "继续模拟面试 {id} · {minutes} 分钟 · 难度 {level} · 种子 {seed}",
    },
    "iv.cli.how": {
        "en": "Answer in your own words on one line; then tick the key points you covered.",
        "zh": "用自己的话在一行内回答；然后勾选你答到的要点。",
    },
    "iv.cli.header": {
        "en": "[{part} {number}/{count} · {left} left]",
        "zh": "[{part} {number}/{count} · 剩余 {left}]",
    },
    "iv.cli.answer": {"en": "Your answer ({left} left): ", "zh": "你的回答（剩余 {left}）："},
    "iv.cli.fallback": {
        "en": "(No open form for this question: answer with the letter(s) or the number.)",
        "zh": "（这道题没有开放式问法：请用字母或数字作答。）",
    },
    "iv.cli.choice": {"en": "Your answer ({left} left): ", "zh": "你的答案（剩余 {left}）："},
    "iv.cli.invalid": {"en": "Not understood; try again.", "zh": "无法识别，请重试。"},
    "iv.cli.ticks": {
        "en": "Key points you covered (numbers 1-{last}, e.g. 1 3; Enter for none): ",
        "zh": "你答到的要点（数字 1-{last}，例如 1 3；直接回车表示没有）：",
    },
    "iv.cli.coding_keys": {
        "en": "c) ask a clarifying question   r) run the checks   h) hint   p) the prompt again   "
        "d) done: grade my file",
        "zh": "c) 提一个澄清问题   r) 运行检查   h) 提示   p) 再看题面   d) 完成：为我的文件评分",
    },
    "iv.cli.coding_prompt": {"en": "[{left} left] > ", "zh": "[剩余 {left}] > "},
    "iv.cli.which_clarification": {
        "en": "Which question (1-{last}, Enter to go back)? ",
        "zh": "问哪一个（1-{last}，回车返回）？",
    },
    "iv.cli.saved": {
        "en": "Session {id} saved. Continue it with: kdquiz interview --resume",
        "zh": "面试记录 {id} 已保存。继续：kdquiz interview --resume",
    },
    "iv.cli.nothing_to_resume": {
        "en": "no unfinished interview to resume",
        "zh": "没有未完成的面试可以继续",
    },
    # the scorecard
    "iv.scorecard.title": {"en": "Scorecard · session {id}", "zh": "评分卡 · 记录 {id}"},
    "iv.scorecard.part": {
        "en": "{part} ({items}): {used} of the {budget} planned · {verdict}",
        "zh": "{part}（{items}）：用时 {used}，计划 {budget} · {verdict}",
    },
    "iv.scorecard.points": {
        "en": "  key points covered: {covered}/{total}",
        "zh": "  答到的要点：{covered}/{total}",
    },
    "iv.scorecard.coding": {
        "en": "  tests passed: {passed}/{total} · clarifications: {clarifications} · runs: {runs} "
        "· hints: {hints}",
        "zh": "  通过测试：{passed}/{total} · 澄清问题：{clarifications} · 运行：{runs} · 提示：{hints}",
    },
    "iv.scorecard.timed_out": {
        "en": "  time ran out on {count} item(s)",
        "zh": "  有 {count} 项超时",
    },
    "iv.scorecard.misconceptions": {
        "en": "What the failing tests point at:",
        "zh": "未通过的测试指出的问题：",
    },
    "iv.scorecard.verdict": {"en": "Verdict: {verdict}", "zh": "总评：{verdict}"},
    "iv.scorecard.rules": {
        "en": "(Rules: concepts strong from 3/4 of the key points, on track from 1/2; coding "
        "strong when every test passes without hints, on track from 3/4; see docs/interview.md.)",
        "zh": "（规则：概念题答到 3/4 要点为优秀、1/2 为基本达标；编程题不用提示全部通过为优秀、"
        "通过 3/4 为基本达标；详见 docs/interview.md。）",
    },
    "iv.scorecard.weak": {
        "en": "Back in your review queue soon: {items}",
        "zh": "将很快回到你的复习队列：{items}",
    },
    "iv.scorecard.statement": {
        "en": "The full statement: kdquiz exercise start {exercise}",
        "zh": "完整题面：kdquiz exercise start {exercise}",
    },
    "iv.history.none": {
        "en": "No interviews yet: start one with kdquiz interview",
        "zh": "还没有面试记录：用 kdquiz interview 开始一次",
    },
    "iv.history.header": {
        "en": "session                  started           length exercise        verdict",
        "zh": "记录                     开始时间          时长   练习             总评",
    },
    "iv.history.unfinished": {"en": "unfinished", "zh": "未完成"},
}
