"""Writing graded results: JSON (the contract), CSV, JUnit XML, Gradescope's results.json, and a
self-contained HTML cohort report. Pure functions of the results; no grading happens here."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from typing import Any
from xml.etree import ElementTree as ET

from kdquiz.grading.judge import SubmissionResult
from kdquiz.grading.outcomes import safe_text as _safe

FORMATS = ("json", "text", "csv", "junit", "gradescope")

OUTPUT_CAP = 4000
"""Characters of a submission's printed output kept in an export (the sandbox already caps
what it reads; this keeps a cohort's files small)."""


def printed(result: SubmissionResult) -> str:
    """What the submission printed, capped and stripped of control characters (it goes into
    JSON, XML and Gradescope's page)."""
    return _safe(result.output, OUTPUT_CAP) if result.output.strip() else ""


def submission_dict(result: SubmissionResult) -> dict[str, Any]:
    """A submission of the JSON contract, with its printed output when it printed anything."""
    data = result.as_dict()
    if result.output.strip():
        data["output"] = printed(result)
    return data


def to_json(results: list[SubmissionResult], meta: dict[str, Any]) -> str:
    """The stable JSON contract (see docs/grading.md), with the run's integrity metadata."""
    data = {**meta, "submissions": [submission_dict(r) for r in results]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(results: list[SubmissionResult], meta: dict[str, Any]) -> str:
    """One row per submission, one column per hidden test (1 pass, 0 not)."""
    names: list[str] = []
    for result in results:
        for test in result.tests:
            if test.name not in names:
                names.append(test.name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["path", "status", "score", "max_score", "duration_s", "isolation", "sha256", *names]
    )
    for result in results:
        by_name = {t.name: t.status for t in result.tests}
        # A submission that did not load scored 0 on every test (not "no column").
        missing: int | str = 0 if not result.tests else ""
        writer.writerow(
            [
                result.path,
                result.status,
                result.score,
                result.max_score,
                f"{result.duration_s:.3f}",
                result.isolation,
                result.sha256,
                *[int(by_name.get(n) == "pass") if n in by_name else missing for n in names],
            ]
        )
    return buffer.getvalue()


def to_junit(results: list[SubmissionResult], meta: dict[str, Any]) -> str:
    """JUnit XML: a testsuite per submission, a testcase per hidden test (for CI dashboards)."""
    root = ET.Element("testsuites", name=f"kdquiz {meta.get('exercise', '')}")
    for result in results:
        failures = sum(t.status == "fail" for t in result.tests)
        errors = sum(t.status == "error" for t in result.tests) + (
            1 if result.status in ("error", "timeout") and not result.tests else 0
        )
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.path,
            tests=str(len(result.tests) or 1),
            failures=str(failures),
            errors=str(errors),
            time=f"{result.duration_s:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for key in ("suite_sha256", "kdquiz_version", "torch_version"):
            ET.SubElement(properties, "property", name=key, value=str(meta.get(key, "")))
        ET.SubElement(properties, "property", name="isolation", value=result.isolation)
        ET.SubElement(properties, "property", name="sha256", value=result.sha256)
        ET.SubElement(properties, "property", name="seed", value=str(result.seed))
        ET.SubElement(properties, "property", name="score", value=str(result.score))
        ET.SubElement(properties, "property", name="max_score", value=str(result.max_score))
        if not result.tests:
            case = ET.SubElement(suite, "testcase", classname=result.path, name="load")
            ET.SubElement(case, "error", message=result.message or result.status)
        for test in result.tests:
            case = ET.SubElement(suite, "testcase", classname=result.path, name=test.name)
            if test.status == "fail":
                ET.SubElement(case, "failure", message=test.message)
            elif test.status == "error":
                ET.SubElement(case, "error", message=test.message)
        if result.output.strip():
            ET.SubElement(suite, "system-out").text = _xml_text(printed(result))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _xml_text(text: str) -> str:
    # XML 1.0 cannot hold most control characters even escaped; _safe already replaced them.
    return re.sub(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "?", text)


def gradescope_result(
    result: SubmissionResult, meta: dict[str, Any], visibility: str = "visible"
) -> dict[str, Any]:
    """One submission as Gradescope's results.json (score, per-test score/max_score/status/output)."""
    tests = [
        {
            "name": t.name,
            "score": float(t.weight) if t.status == "pass" else 0.0,
            "max_score": float(t.weight),
            "status": "passed" if t.status == "pass" else "failed",
            "output": t.message,
            "visibility": visibility,
        }
        for t in result.tests
    ]
    lines = [
        result.message or f"{result.status}: {result.score}/{result.max_score}",
        f"isolation: {result.isolation} · seed: {result.seed}",
    ]
    if result.output.strip():
        lines += ["", "Your code printed:", printed(result)]
    return {
        "score": float(result.score),
        "output": "\n".join(lines),
        "tests": tests,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            **meta,
            "sha256": result.sha256,
            "isolation": result.isolation,
            "seed": result.seed,
            "status": result.status,
        },
    }


def to_gradescope(
    results: list[SubmissionResult], meta: dict[str, Any], visibility: str = "visible"
) -> str:
    """One submission: Gradescope's results.json itself; several: a list of them by path."""
    if len(results) == 1:
        return json.dumps(
            gradescope_result(results[0], meta, visibility), ensure_ascii=False, indent=2
        )
    entries = [{"path": r.path, "results": gradescope_result(r, meta, visibility)} for r in results]
    return json.dumps({"submissions": entries}, ensure_ascii=False, indent=2)


def render(fmt: str, results: list[SubmissionResult], meta: dict[str, Any]) -> str:
    return {"json": to_json, "csv": to_csv, "junit": to_junit, "gradescope": to_gradescope}[fmt](
        results, meta
    )


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def most_common_message(messages: list[str]) -> tuple[str, int]:
    """The message most of these failures got, grouping messages that differ only in their
    numbers ("max abs error 0.21" and "... 0.34" are one mistake); returns one of the group's
    messages and the group's size ("", 0 when there are none)."""
    groups: dict[str, list[str]] = {}
    for message in messages:
        groups.setdefault(_NUMBER.sub("#", message), []).append(message)
    if not groups:
        return "", 0
    biggest = max(groups.values(), key=len)
    return Counter(biggest).most_common(1)[0][0], len(biggest)


def cohort_report(results: list[SubmissionResult], meta: dict[str, Any], title: str = "") -> str:
    """A self-contained HTML page: a histogram of scores and, per hidden test, the share of the
    cohort that failed it and the misconception it names — what to teach again."""
    esc = html.escape
    count = len(results) or 1
    max_score = max((r.max_score for r in results), default=0)
    histogram = Counter(r.score for r in results)
    bar_width, height = 28, 160
    top = max(histogram.values(), default=1)
    bars = []
    for index, score in enumerate(range(max_score + 1)):
        n = histogram.get(score, 0)
        h = round(height * n / top) if top else 0
        x = 40 + index * (bar_width + 6)
        bars.append(
            f'<rect x="{x}" y="{20 + height - h}" width="{bar_width}" height="{h}" fill="#4c78a8"/>'
            f'<text x="{x + bar_width / 2}" y="{height + 36}" text-anchor="middle">{score}</text>'
            f'<text x="{x + bar_width / 2}" y="{14 + height - h}" text-anchor="middle">{n or ""}</text>'
        )
    svg_width = 60 + (max_score + 1) * (bar_width + 6)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{svg_width}" height="{height + 50}" '
        f'font-family="sans-serif" font-size="11">{"".join(bars)}'
        f'<line x1="36" y1="{height + 20}" x2="{svg_width}" y2="{height + 20}" stroke="#333"/></svg>'
    )
    per_test: dict[str, list[Any]] = {}
    for result in results:
        for test in result.tests:
            per_test.setdefault(test.name, []).append(test)
    not_loaded = [r for r in results if not r.tests]
    loaded = len(results) - len(not_loaded)
    rows = []
    for name, tests in sorted(
        per_test.items(), key=lambda kv: -sum(t.status != "pass" for t in kv[1])
    ):
        failed = sum(t.status != "pass" for t in tests)
        share = failed / (loaded or 1)
        advice = next((t.misconception for t in tests if t.misconception), "")
        example, shared_by = most_common_message([t.message for t in tests if t.status != "pass"])
        rows.append(
            f"<tr><td>{esc(name)}</td><td><div class='bar' style='width:{share * 100:.0f}%'></div>"
            f"{share:.0%} ({failed}/{loaded})</td><td>{esc(advice)}</td>"
            f"<td class='msg'>{esc(example)}{f' ({shared_by}/{failed})' if example else ''}</td></tr>"
        )
    statuses = Counter(r.status for r in results)
    loaded_rows = "".join(
        f"<li>{esc(r.path)}: {esc(r.status)} — {esc(r.message)}</li>" for r in not_loaded
    )
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    mean = sum(r.score for r in results) / count
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kdquiz cohort report: {esc(meta.get("exercise", ""))}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 6px; text-align: left; vertical-align: top; }}
.bar {{ display: inline-block; height: 10px; background: #e45756; margin-right: 6px; }}
.msg {{ color: #555; font-size: 90%; }}
.meta {{ color: #666; font-size: 85%; }}
</style></head><body>
<h1>{esc(title or "Cohort report")}: {esc(meta.get("exercise", ""))}</h1>
<p>{len(results)} submissions, {loaded} loaded · {summary} · mean score {mean:.2f}/{max_score}
(a submission that did not load counts as 0)</p>
<h2>Scores</h2>{svg}
<h2>What to teach again</h2>
<p class="meta">"failed by" counts the {loaded} submissions that loaded.</p>
<table><tr><th>hidden test</th><th>failed by</th><th>misconception it names</th><th>most common message</th></tr>
{"".join(rows)}</table>
{f"<h2>Submissions that did not load</h2><ul>{loaded_rows}</ul>" if not_loaded else ""}
<p class="meta">suite sha256 {esc(str(meta.get("suite_sha256", "")))} · kdquiz {esc(str(meta.get("kdquiz_version", "")))} ·
torch {esc(str(meta.get("torch_version", "")))}</p>
</body></html>
"""
