"""Anki export, the browser app, doctor, and failure pictures."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "anki.lang": {
        "en": "--lang must be en, zh or both, not {lang!r}",
        "zh": "--lang 只能是 en、zh 或 both，而不是 {lang!r}",
    },
    "anki.no_questions": {
        "en": "no questions to export (topics: {topics})",
        "zh": "没有可导出的题目（可用主题：{topics}）",
    },
    "anki.wrote": {
        "en": "wrote {path}: {notes} notes from {questions} questions. In Anki: File > Import; "
        "importing a later export updates these cards and keeps your reviews.",
        "zh": "已写出 {path}：{questions} 道题共 {notes} 张笔记。在 Anki 中选择“文件 > 导入”；"
        "以后再导入新的导出会更新这些卡片，并保留你的复习记录。",
    },
}
