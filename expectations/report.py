"""The gate's report: validation.json (every check, sorted, no timestamps) and validation.html (self-contained:
inline CSS from the one shared stylesheet, no scripts, no external addresses, readable offline), rendered from
dtoc/report/templates/validation.html.j2."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from dtoc.report.pages import render_page
from expectations.findings import format_value

if TYPE_CHECKING:
    from expectations.result import GateResult


def report_data(result: GateResult, parameters: dict[str, object], database_name: str) -> dict:
    """Everything validation.json holds; deterministic for the same database and parameters."""
    statuses = [check["status"] for check in result.checks]
    return {
        "passed": result.passed,
        "database": database_name,
        "counts": {"checks": len(statuses), **{s: statuses.count(s) for s in ("pass", "fail", "warn")}},
        "parameters": {
            k: format_value(v) if not isinstance(v, (int, float)) else v for k, v in sorted(parameters.items())
        },
        "failures": result.failures,
        "warnings": result.warnings,
        "checks": result.checks,
    }


def check_view(check: dict) -> dict:
    """One check as the page shows it: its examples' values as text, and how many more rows failed."""
    examples = [
        {
            "location": str(example["location"]),
            "text": ", ".join(f"{k} = {format_value(v)}" for k, v in example["values"].items()),
        }
        for example in check["examples"]
    ]
    return {**check, "examples": examples, "more": check["unexpected_count"] - len(check["examples"])}


def suite_views(checks: list[dict]) -> list[dict]:
    """One section per suite, in the checks' order: name, counts in words, the checks."""
    views = []
    for suite, grouped in groupby(checks, key=lambda check: check["suite"]):
        shown = [check_view(check) for check in grouped]
        statuses = [check["status"] for check in shown]
        summary = ", ".join(f"{statuses.count(s)} {s}" for s in ("pass", "fail", "warn") if statuses.count(s))
        views.append({"name": suite, "summary": summary, "checks": shown})
    return views


def render_html(data: dict) -> str:
    """validation.html: the overall verdict, then one table per suite (templates/validation.html.j2, autoescaped)."""
    return render_page(
        "validation.html.j2",
        data=data,
        verdict="PASSED" if data["passed"] else "FAILED",
        suites=suite_views(data["checks"]),
    )


def write_report(report_dir: Path, data: dict) -> tuple[Path, Path]:
    """Write validation.json and validation.html into report_dir; returns their paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = report_dir / "validation.json", report_dir / "validation.html"
    json_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    html_path.write_bytes(render_html(data).encode("utf-8"))
    return json_path, html_path
