"""The daily loop: quiz, review, progress, stats, the store's errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "daily.forecast.title": {
        "en": "Reviews due in the next {days} days (today first, from FSRS):",
        "zh": "未来 {days} 天每天到期的复习（从今天起，由 FSRS 排期）：",
    },
    # -- the progress store ----------------------------------------------------------------------
    "daily.store.busy": {
        "en": "the progress database {path} is locked by another program (another kdquiz?); "
        "nothing is damaged. Close the other kdquiz, or wait, and try again.",
        "zh": "进度数据库 {path} 正被另一个程序（另一个 kdquiz？）锁定；数据没有损坏。"
        "请关闭另一个 kdquiz 或稍候，然后重试。",
    },
    "daily.store.waiting": {
        "en": "Another kdquiz is writing to {path}; waiting for it to finish (close it to go on now)…",
        "zh": "另一个 kdquiz 正在写入 {path}；正在等待它完成（关闭它即可继续）…",
    },
    "daily.store.read_only": {
        "en": "cannot write the progress database {path}: it or its folder is read-only. "
        "Make it writable, or set KDQUIZ_HOME to a folder you can write.",
        "zh": "无法写入进度数据库 {path}：文件或其所在文件夹是只读的。"
        "请使其可写，或把 KDQUIZ_HOME 设为一个可写的文件夹。",
    },
    "daily.store.failed": {
        "en": "the progress database {path} cannot be used: {detail}",
        "zh": "无法使用进度数据库 {path}：{detail}",
    },
    "daily.store.damaged": {
        "en": "the progress database {path} is damaged ({detail}); a copy was kept at {backup}. "
        "Restore a backup or run 'kdquiz progress reset' to start afresh.",
        "zh": "进度数据库 {path} 已损坏（{detail}）；已在 {backup} 保留一份副本。"
        "请恢复备份，或运行 'kdquiz progress reset' 重新开始。",
    },
    "daily.store.newer": {
        "en": "the progress database {path} was written by a newer kdquiz (schema {version}, this "
        "one knows {known}); upgrade kdquiz. The file was not changed.",
        "zh": "进度数据库 {path} 由更新版本的 kdquiz 写入（架构版本 {version}，本版本只认识 "
        "{known}）；请升级 kdquiz。文件未被改动。",
    },
    "daily.store.kept": {
        "en": "(the progress database is busy: this answer is kept and will be saved when it is free)",
        "zh": "（进度数据库正忙：这个答案已暂存，数据库空闲后会保存）",
    },
    "daily.store.saved_late": {
        "en": "(the progress database is free again: every answer is saved)",
        "zh": "（进度数据库已空闲：所有答案都已保存）",
    },
    "daily.store.unsaved": {
        "en": "{count} answer(s) were NOT saved: {reason}",
        "zh": "有 {count} 个答案没有保存：{reason}",
    },
    "daily.import.not_export": {
        "en": 'not a kdquiz progress export (expected "format": "kdquiz-progress")',
        "zh": '不是 kdquiz 进度导出文件（应包含 "format": "kdquiz-progress"）',
    },
    "daily.import.newer": {
        "en": "this export was written by a newer kdquiz; upgrade kdquiz to import it",
        "zh": "这个导出文件由更新版本的 kdquiz 写入；请升级 kdquiz 后再导入",
    },
    "daily.import.malformed": {
        "en": "the export is malformed ({detail}); nothing was imported",
        "zh": "导出文件格式错误（{detail}）；没有导入任何内容",
    },
    # -- the quiz ----------------------------------------------------------------------------------
    "daily.quiz.not_number": {
        "en": "not a number: '{raw}' (type e.g. 0.25, 25% or 1e-3)",
        "zh": "不是数字：'{raw}'（例如输入 0.25、25% 或 1e-3）",
    },
    "daily.quiz.not_finite": {
        "en": "'{raw}' is not a finite number; type a finite value",
        "zh": "'{raw}' 不是有限的数；请输入一个有限值",
    },
    "daily.quiz.not_letters": {
        "en": "not understood: '{raw}' (type letters a-{last})",
        "zh": "无法识别：'{raw}'（请输入字母 a-{last}）",
    },
    "daily.quiz.not_rating": {
        "en": "not understood: '{raw}' (1/a again, 2/h hard, 3/g good, 4/e easy)",
        "zh": "无法识别：'{raw}'（1/a 重来，2/h 困难，3/g 良好，4/e 简单）",
    },
    "daily.quiz.missed": {
        "en": "You missed the right option {letter}) {text}",
        "zh": "你漏选了正确选项 {letter}）{text}",
    },
    "daily.quiz.tick": {
        "en": "Tick the key points you covered (1–{count}), then rate yourself: a again, h hard, "
        "g good, e easy (or Enter, then 1–4)",
        "zh": "勾选你答到的要点（1–{count}），然后自评：a 重来，h 困难，g 良好，e 简单"
        "（或按 Enter 后用 1–4）",
    },
    "daily.quiz.rate": {
        "en": "Rate yourself (1/a again, 2/h hard, 3/g good, 4/e easy): ",
        "zh": "自评（1/a 重来，2/h 困难，3/g 良好，4/e 简单）：",
    },
    "daily.quiz.interrupted": {
        "en": "(quiz interrupted)",
        "zh": "（答题已中断）",
    },
    "daily.quiz.quit_ask": {
        "en": "Leave this quiz? Answers so far are saved. y leave · n keep going",
        "zh": "离开这次测验？已答的题都已保存。y 离开 · n 继续",
    },
    # -- exercises -------------------------------------------------------------------------------
    "daily.check.interrupted": {
        "en": "check interrupted: nothing was recorded",
        "zh": "检查已中断：没有记录任何结果",
    },
    "daily.check.running": {
        "en": "checking {id}…",
        "zh": "正在检查 {id}…",
    },
    "daily.check.still_running": {
        "en": "still checking ({seconds:.0f}s)…",
        "zh": "仍在检查（{seconds:.0f} 秒）…",
    },
    "daily.check.stale": {
        "en": "the file changed during the check: checking the new version",
        "zh": "检查期间文件被修改：正在检查新版本",
    },
    "daily.check.review": {
        "en": "Recorded as today's review of {id}: {rating}.",
        "zh": "已记为 {id} 今天的复习：{rating}。",
    },
    "daily.rating.1": {"en": "Again", "zh": "重来"},
    "daily.rating.2": {"en": "Hard", "zh": "困难"},
    "daily.rating.3": {"en": "Good", "zh": "良好"},
    "daily.rating.4": {"en": "Easy", "zh": "简单"},
    # -- stats and progress ----------------------------------------------------------------------
    "daily.stats.line": {
        "en": "Due today {due} (now {now}) · new {new} · retention {retention} · streak {streak} · "
        "exercises {passed}/{total}",
        "zh": "今天到期 {due}（现在 {now}） · 新题 {new} · 保持率 {retention} · 连续 {streak} · "
        "练习 {passed}/{total}",
    },
    "daily.days.one": {"en": "{count} day", "zh": "{count} 天"},
    "daily.days.many": {"en": "{count} days", "zh": "{count} 天"},
    "daily.retention.pending": {
        "en": "— (shown after {needed} reviews; {count} so far)",
        "zh": "—（满 {needed} 次复习后显示；目前 {count} 次）",
    },
    "daily.mastery.definition": {
        "en": "Mastery: for each question, the chance FSRS gives that you recall it now, counted "
        "only if your last answer to it was right or self-rated Hard or better (else 0); a topic's "
        "mastery is the mean over its questions.",
        "zh": "掌握程度：每道题按 FSRS 估计的你现在能回忆起它的概率计算，只有最近一次答对"
        "（或自评为“困难”及以上）时才计入，否则为 0；主题的掌握程度是其所有题目的平均值。",
    },
    "daily.retention.definition": {
        "en": "Retention: the share of reviews in the last 30 days (a question's first answer in a "
        "session, an exercise's one review a day) not rated Again.",
        "zh": "保持率：最近 30 天的复习（每次测验中对某题的第一次作答、每个练习每天一次复习）中"
        "未被评为“重来”的比例。",
    },
    "daily.stats.weakest": {
        "en": "Practise your weakest topics: kdquiz quiz {options}",
        "zh": "练习最薄弱的主题：kdquiz quiz {options}",
    },
    "daily.stats.nothing_yet": {
        "en": "Nothing answered yet: nothing is due. Start with 'kdquiz review' or 'kdquiz quiz'.",
        "zh": "还没有作答：没有到期的内容。从 'kdquiz review' 或 'kdquiz quiz' 开始。",
    },
    "daily.review.nothing_due": {
        "en": "Nothing is due. Come back tomorrow, or run 'kdquiz quiz'.",
        "zh": "今天没有到期的内容。明天再来，或运行 'kdquiz quiz'。",
    },
    "daily.review.exercise_due": {
        "en": "Exercise due again: kdquiz check {id}",
        "zh": "练习到期：kdquiz check {id}",
    },
    "daily.export.done": {
        "en": "Exported {cards} cards and {events} events to {path}",
        "zh": "已导出 {cards} 张卡片、{events} 条记录到 {path}",
    },
    "daily.export.cannot_write": {
        "en": "cannot write {path}: {reason}",
        "zh": "无法写入 {path}：{reason}",
    },
    "daily.import.done": {
        "en": "Imported {cards} cards and {events} new events",
        "zh": "已导入 {cards} 张卡片、{events} 条新记录",
    },
    "daily.import.no_file": {"en": "no such file: {path}", "zh": "文件不存在：{path}"},
    "daily.import.not_json": {
        "en": "cannot read {path} as JSON: {reason}",
        "zh": "无法把 {path} 读作 JSON：{reason}",
    },
    "daily.reset.ask": {"en": "Reset all your progress?", "zh": "清空你的全部进度？"},
    "daily.reset.kept": {"en": "Nothing was changed.", "zh": "未做任何更改。"},
    "daily.reset.none": {"en": "There was no progress yet.", "zh": "还没有进度。"},
    "daily.reset.done": {
        "en": "Progress reset; the old database is kept at {path}",
        "zh": "已重置；旧数据保存在 {path}",
    },
    # -- the app ---------------------------------------------------------------------------------
    "daily.home.due": {
        "en": "Due today: {due} · new: {new} · streak: {streak} · retention: {retention}",
        "zh": "今天到期：{due} · 新题：{new} · 连续：{streak} · 保持率：{retention}",
    },
    "daily.ex.last": {
        "en": "Last check ({when}): {verdict} {score}",
        "zh": "上次检查（{when}）：{verdict} {score}",
    },
    "daily.ex.stale": {
        "en": "⚠ this result is for an older version of the file: save or press c to check again",
        "zh": "⚠ 这个结果对应的是文件的旧版本：保存或按 c 重新检查",
    },
    "daily.ex.enter_opens": {
        "en": "Enter opens the selected exercise.",
        "zh": "按 Enter 打开所选练习。",
    },
    "daily.editor.none": {
        "en": "no editor found (tried: {tried}); set $EDITOR (e.g. export EDITOR=vim) or choose "
        "one in Settings, or press i to edit here",
        "zh": "找不到编辑器（已尝试：{tried}）；请设置 $EDITOR（如 export EDITOR=vim）或在设置中"
        "选择一个，或按 i 在应用内编辑",
    },
    "daily.editor.failed": {
        "en": "the editor '{editor}' could not run ({reason}); set $EDITOR or choose one in "
        "Settings, or press i to edit here",
        "zh": "编辑器 '{editor}' 无法运行（{reason}）；请设置 $EDITOR 或在设置中选择一个，"
        "或按 i 在应用内编辑",
    },
    "daily.hint.label": {"en": "Hint {level}/{total}:", "zh": "提示 {level}/{total}："},
    "daily.output.capped": {
        "en": "… (output cut here: {hidden} more characters not shown)",
        "zh": "……（输出在此截断：还有 {hidden} 个字符未显示）",
    },
    "daily.settings.workspace_env": {
        "en": "In effect: {path} (set by KDQUIZ_WORKSPACE, which wins over this setting)",
        "zh": "当前生效：{path}（由 KDQUIZ_WORKSPACE 设置，优先于此项设置）",
    },
}
