"""The judge, the sandbox and the feedback of the grading engine."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # The judge: the whole submission.
    "grading.file_missing": {"en": "no such file: {path}", "zh": "文件不存在：{path}"},
    "grading.file_unreadable": {
        "en": "cannot read {path}: {error}",
        "zh": "无法读取 {path}：{error}",
    },
    "grading.syntax_error": {
        "en": "syntax error on line {line}: {error}",
        "zh": "语法错误（第 {line} 行）：{error}",
    },
    "grading.load_timeout": {
        "en": "timed out while loading your file",
        "zh": "加载你的文件时超时",
    },
    "grading.load_crashed": {
        "en": "your file ended the process while it was being loaded",
        "zh": "加载你的文件时进程被结束",
    },
    "grading.load_raised": {
        "en": "your file raised {error} while loading",
        "zh": "加载你的文件时抛出 {error}",
    },
    "grading.missing_functions": {
        "en": "your file does not define {names}",
        "zh": "你的文件没有定义 {names}",
    },
    "grading.strict_unavailable": {
        "en": "strict isolation is not available here ({reason})",
        "zh": "此机器无法使用严格隔离（{reason}）",
    },
    "grading.setup_failed": {
        "en": "the sandbox could not be set up: {detail}; this is a bug in kdquiz, please "
        "report it (kdquiz doctor shows what this machine allows)",
        "zh": "沙箱无法建立：{detail}；这是 kdquiz 的缺陷，请报告（kdquiz doctor 会显示本机允许的隔离方式）",
    },
    "grading.torch_too_old": {
        "en": "torch {version} is too old to grade untrusted code: kdquiz needs torch >= {minimum} "
        "(CVE-2025-32434, CVE-2026-24747). Upgrade it: pip install -U 'torch>={minimum}'",
        "zh": "torch {version} 版本过旧，无法安全地评测不可信代码：kdquiz 需要 torch >= {minimum}"
        "（CVE-2025-32434、CVE-2026-24747）。请升级：pip install -U 'torch>={minimum}'",
    },
    # One hidden test (the plugin).
    "grading.lost_timeout": {
        "en": "timed out: your code ran past the time limit (an endless loop?)",
        "zh": "超时：你的代码运行超过了时间限制（死循环？）",
    },
    "grading.lost_memory": {
        "en": "out of memory: your code allocated too much memory",
        "zh": "内存超限：你的代码分配了过多内存",
    },
    "grading.lost_missing": {
        "en": "your file does not define {name}()",
        "zh": "提交中没有定义函数 {name}",
    },
    "grading.lost_crashed": {
        "en": "your code ended or crashed the process{detail}",
        "zh": "你的代码使运行进程退出或崩溃{detail}",
    },
    "grading.not_implemented": {
        "en": "not implemented yet: your function still raises NotImplementedError ({where}); "
        "fill in the TODOs",
        "zh": "还没有实现：你的函数仍然抛出 NotImplementedError（{where}）；请完成 TODO 部分",
    },
    "grading.where": {"en": "line {line}, in {function}", "zh": "{function} 第 {line} 行"},
    "grading.raised": {
        "en": "your function raised {error}{where}",
        "zh": "你的函数抛出了异常 {error}{where}",
    },
    "grading.skipped": {
        "en": "test was skipped (a skip counts as a failure)",
        "zh": "测试被跳过（跳过计为失败）",
    },
    "grading.test_setup_error": {
        "en": "a hidden test could not be set up (tell the author)",
        "zh": "隐藏测试无法准备（请联系出题人）",
    },
    "grading.hidden_check_failed": {
        "en": "a hidden check failed ({name})",
        "zh": "隐藏检查未通过（{name}）",
    },
    "grading.see_hint": {"en": " (see hint {hint})", "zh": "（见提示 {hint}）"},
    "grading.did_not_finish": {
        "en": "test did not run to completion",
        "zh": "测试没有运行完",
    },
}
