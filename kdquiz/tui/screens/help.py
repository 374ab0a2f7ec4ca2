"""Every key, on one page."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = {
    "en": [
        (
            "Everywhere",
            [
                ("F2", "English / 中文"),
                ("F1 or ?", "this help"),
                ("Escape", "back"),
                ("Ctrl+Q", "quit"),
            ],
        ),
        (
            "Home",
            [
                ("r", "review what is due"),
                ("c", "custom quiz"),
                ("e", "exercises"),
                ("i", "mock interview"),
                ("p", "progress"),
                ("s", "settings"),
                ("q", "quit"),
            ],
        ),
        (
            "Quiz",
            [
                ("a-z", "choose (toggle for multiple choice)"),
                ("Enter", "answer / next"),
                ("1-6", "tick key points (short answers)"),
                ("a h g e", "rate yourself: again, hard, good, easy"),
            ],
        ),
        (
            "Exercise",
            [
                ("s", "start (copy the starter)"),
                ("o", "open in $EDITOR"),
                ("i", "edit here (Ctrl+S saves)"),
                ("c", "check (also on every save)"),
                ("h", "next hint"),
                ("v", "reference, after a pass"),
            ],
        ),
        (
            "Interview",
            [
                ("Ctrl+S", "submit an answer (the clock pauses while you compare)"),
                ("1-6, Enter", "tick the key points you covered, next"),
                ("a r h d", "coding: ask a clarifying question, run checks, hint, done"),
                ("s", "scorecard: the full statement"),
            ],
        ),
        ("Progress", [("w", "practise the weakest topics")]),
    ],
    "zh": [
        (
            "任何界面",
            [("F2", "English / 中文"), ("F1 或 ?", "本帮助"), ("Esc", "返回"), ("Ctrl+Q", "退出")],
        ),
        (
            "首页",
            [
                ("r", "复习到期内容"),
                ("c", "自定义测验"),
                ("e", "练习"),
                ("i", "模拟面试"),
                ("p", "进度"),
                ("s", "设置"),
                ("q", "退出"),
            ],
        ),
        (
            "测验",
            [
                ("a-z", "选择（多选题为切换）"),
                ("回车", "提交 / 下一题"),
                ("1-6", "勾选要点（简答题）"),
                ("a h g e", "自评：重来、困难、良好、简单"),
            ],
        ),
        (
            "练习",
            [
                ("s", "开始（复制起始代码）"),
                ("o", "用 $EDITOR 打开"),
                ("i", "内置编辑（Ctrl+S 保存）"),
                ("c", "检查（保存时也会自动检查）"),
                ("h", "下一条提示"),
                ("v", "通过后查看参考答案"),
            ],
        ),
        (
            "模拟面试",
            [
                ("Ctrl+S", "提交回答（对照答案时暂停计时）"),
                ("1-6、回车", "勾选答到的要点，下一步"),
                ("a r h d", "编程：提澄清问题、运行检查、提示、完成"),
                ("s", "评分卡：查看完整题面"),
            ],
        ),
        ("进度", [("w", "练习最薄弱的主题")]),
    ],
}


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of Escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", "en")
        table = Table(title="kdquiz", show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, keys in HELP["zh" if lang == "zh" else "en"]:
            table.add_row(f"[bold]{section}[/]", "")
            for key, what in keys:
                table.add_row(key, what)
        with VerticalScroll(id="help"):
            yield Static(table)
