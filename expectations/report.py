"""The gate's report: validation.json (every check, sorted, no timestamps) and validation.html (self-contained:
inline CSS, no scripts, no external addresses, readable offline)."""
from __future__ import annotations

import json
from html import escape
from itertools import groupby
from pathlib import Path

from expectations.findings import format_value

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2rem; color: #1d1d1d; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.pass { background: #dff3e4; color: #0b5d1e; } .fail { background: #fbe0e0; color: #8a1010; }
.warn { background: #fff2cc; color: #6b4e00; }
.badge { font-weight: bold; padding: 0.1rem 0.4rem; border-radius: 0.25rem; }
ul { margin: 0; padding-left: 1.1rem; } code { font-size: 0.85rem; }
"""


def report_data(result: object, parameters: dict[str, object], database_name: str) -> dict:
    """Everything validation.json holds; deterministic for the same database and parameters."""
    statuses = [check["status"] for check in result.checks]
    return {"passed": result.passed, "database": database_name,
            "counts": {"checks": len(statuses), **{s: statuses.count(s) for s in ("pass", "fail", "warn")}},
            "parameters": {k: format_value(v) if not isinstance(v, (int, float)) else v
                           for k, v in sorted(parameters.items())},
            "failures": result.failures, "warnings": result.warnings, "checks": result.checks}


def example_items(check: dict) -> str:
    """The failing examples of one check as an HTML list."""
    if check["error"]:
        return f"<ul><li>the check could not run: {escape(check['error'])}</li></ul>"
    items = [f"<li>{escape(str(example['location']))}: <code>"
             + escape(", ".join(f"{k} = {format_value(v)}" for k, v in example["values"].items()))
             + "</code></li>" for example in check["examples"]]
    more = check["unexpected_count"] - len(check["examples"])
    items += [f"<li>... and {more} more</li>"] if more > 0 else []
    return f"<ul>{''.join(items)}</ul>" if items else ""


def check_row(check: dict) -> str:
    status = check["status"]
    cells = [f'<span class="badge {status}">{status.upper()}</span>', escape(check["check"]),
             escape(check["severity"]), escape(check["description"]), str(check["unexpected_count"]),
             example_items(check)]
    return f'<tr class="{status}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def suite_section(suite: str, checks: list[dict]) -> str:
    statuses = [check["status"] for check in checks]
    summary = ", ".join(f"{statuses.count(s)} {s}" for s in ("pass", "fail", "warn") if statuses.count(s))
    header = "".join(f"<th>{h}</th>" for h in ("Status", "Check", "Severity", "What should hold", "Rows failing",
                                                "Failing examples"))
    return (f'<section><h2>Suite <code>{escape(suite)}</code> ({summary})</h2><table><thead><tr>{header}</tr>'
            f'</thead><tbody>{"".join(check_row(check) for check in checks)}</tbody></table></section>')


def render_html(data: dict) -> str:
    """validation.html: the overall verdict, then one table per suite."""
    verdict = "PASSED" if data["passed"] else "FAILED"
    counts = data["counts"]
    sections = "".join(suite_section(suite, list(checks))
                       for suite, checks in groupby(data["checks"], key=lambda check: check["suite"]))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>DToC validation: {verdict}'
            f'</title><style>{STYLE}</style></head><body><h1>DToC validation gate: '
            f'<span class="badge {"pass" if data["passed"] else "fail"}">{verdict}</span></h1>'
            f'<p>Database <code>{escape(data["database"])}</code>: {counts["checks"]} checks, {counts["pass"]} '
            f'passed, {counts["fail"]} failed, {counts["warn"]} warnings. Errors fail the gate; warnings are '
            f'listed only.</p>{sections}</body></html>\n')


def write_report(report_dir: Path, data: dict) -> tuple[Path, Path]:
    """Write validation.json and validation.html into report_dir; returns their paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = report_dir / "validation.json", report_dir / "validation.html"
    json_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    html_path.write_text(render_html(data), encoding="utf-8")
    return json_path, html_path
