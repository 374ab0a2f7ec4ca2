"""Anki export, the browser app, doctor, and failure pictures."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "anki.lang": {
        "en": "--lang must be en, zh or both, not {value!r}",
        "zh": "--lang 只能是 en、zh 或 both，而不是 {value!r}",
    },
    "anki.suffix": {
        "en": "{path}: Anki imports packages whose name ends in .apkg (e.g. -o kdquiz.apkg)",
        "zh": "{path}：Anki 只导入以 .apkg 结尾的包（例如 -o kdquiz.apkg）",
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
    "doctor.title": {"en": "kdquiz doctor", "zh": "kdquiz 诊断"},
    "doctor.kdquiz": {
        "en": "kdquiz        {version} (Python {python}, {platform})",
        "zh": "kdquiz        {version}（Python {python}，{platform}）",
    },
    "doctor.torch": {
        "en": "torch         {version}, {build}; runs on {device}",
        "zh": "torch         {version}，{build}；在 {device} 上运行",
    },
    "doctor.torch.cpu_build": {"en": "CPU-only build", "zh": "仅 CPU 版本"},
    "doctor.torch.cuda_build": {"en": "CUDA {cuda} build", "zh": "CUDA {cuda} 版本"},
    "doctor.torch.missing": {
        "en": "torch         not importable ({error}): exercises cannot be graded; reinstall torch",
        "zh": "torch         无法导入（{error}）：练习无法评分；请重新安装 torch",
    },
    "doctor.isolation.strict": {
        "en": "isolation     strict: each submission gets its own namespaces, filesystem view and "
        "limits",
        "zh": "隔离级别      strict：每份提交都有独立的命名空间、文件系统视图和资源限制",
    },
    "doctor.isolation.basic": {
        "en": "isolation     basic (strict is not available: {reason})",
        "zh": "隔离级别      basic（无法使用 strict：{reason}）",
    },
    "doctor.isolation.hint": {
        "en": "              strict needs Linux with user namespaces (or root); in a container, "
        "allow unshare (e.g. docker --security-opt seccomp=unconfined) — see docs/grading.md",
        "zh": "              strict 需要支持用户命名空间的 Linux（或 root 权限）；在容器中需允许 "
        "unshare（例如 docker --security-opt seccomp=unconfined），见 docs/grading.md",
    },
    "doctor.content": {
        "en": "content       {root} ({questions} questions, {exercises} exercises)",
        "zh": "题库内容      {root}（{questions} 道题，{exercises} 个练习）",
    },
    "doctor.data": {"en": "data          {path}", "zh": "数据目录      {path}"},
    "doctor.progress": {
        "en": "progress      {path} ({state})",
        "zh": "学习进度      {path}（{state}）",
    },
    "doctor.progress.none": {"en": "not created yet", "zh": "尚未创建"},
    "doctor.progress.size": {"en": "{kib} KiB", "zh": "{kib} KiB"},
    "doctor.cache": {"en": "cache         {path}", "zh": "缓存目录      {path}"},
    "doctor.workspace": {"en": "workspace     {path}", "zh": "工作区        {path}"},
    "doctor.editor": {
        "en": "editor        {command} ({found}) — what 'o' opens",
        "zh": "编辑器        {command}（{found}）— 按 o 时打开",
    },
    "doctor.editor.found": {"en": "found at {path}", "zh": "位于 {path}"},
    "doctor.editor.none": {
        "en": "editor        none found (tried: {tried}): set $EDITOR or one in Settings",
        "zh": "编辑器        没有找到（试过：{tried}）：请设置 $EDITOR，或在设置中指定",
    },
    "doctor.lang": {"en": "language      {language}", "zh": "语言          {language}"},
    "serve.cannot_listen": {
        "en": "cannot listen on {host}:{port} ({reason}): pass another --port",
        "zh": "无法在 {host}:{port} 上监听（{reason}）：请换一个 --port",
    },
    "serve.public": {
        "en": "Listening on {host}: anyone who can reach this machine can use the app (and run "
        "code through its exercises). Use 127.0.0.1 unless this is what you want.",
        "zh": "正在监听 {host}：任何能访问这台机器的人都能使用这个应用（并通过练习运行代码）。"
        "除非你确实需要，请使用 127.0.0.1。",
    },
    "serve.open": {
        "en": "Open {url} in a browser (each tab is its own session); Ctrl+C stops.",
        "zh": "在浏览器中打开 {url}（每个标签页是独立的会话）；按 Ctrl+C 停止。",
    },
}
