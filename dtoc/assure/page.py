"""assurance.html: one offline page (Jinja2, dtoc/report/templates/assure_page.html.j2) for assurers.

It opens with the HWBs whose plan needs attention (not in line, reattributed with no evidence, no plan, then
reattributed with evidence, the largest worst-month gap first: dtoc.assure.tables.attention_first, the order
assurance.xlsx opens with too), each with its worst month, its gap in delayed days and its one sentence of feedback; then the national and regional verdict counts; then every HWB's planned against expected
monthly figures (NHS, social care, joint, total), those needing attention first and the in-line HWBs last, by
region. No scripts, nothing fetched.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from dtoc.assure.tables import attention_first
from dtoc.assure.verdicts import (
    ALLOWANCE_DAYS,
    ATTENTION_ORDER,
    IN_LINE,
    NO_PLAN,
    NOT_IN_LINE,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    VERDICTS,
)
from dtoc.periods import month_label
from dtoc.report.pages import write_page
from dtoc.vocabulary import ATTRIBUTIONS, IN_LINE_RULE, PART_LABELS, TOTAL_KEY

CSS = {IN_LINE: "pass", NOT_IN_LINE: "fail", NO_PLAN: "none"}
COLUMN_ORDER = (*(a.key for a in ATTRIBUTIONS), TOTAL_KEY)


def verdict_css(verdict: str) -> str:
    return CSS.get(verdict, "reattributed")


def anchor(text: str) -> str:
    return "region-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def month_views(wide: pl.DataFrame) -> list[dict]:
    """One entry per month of an HWB: the comparison and, per attribution then the total, planned/expected."""
    return [
        {
            "label": month_label(row["month"]),
            "comparison": row["comparison"],
            "assessed": row["assessed"],
            "cells": [
                {
                    "planned": f"{row[f'{k}_planned_days']:,}",
                    "expected": f"{row[f'{k}_expected_days']:,.1f}",
                    "in_line": row[f"{k}_in_line"],
                }
                for k in COLUMN_ORDER
            ],
        }
        for row in wide.iter_rows(named=True)
    ]


def hwb_view(row: dict, by_hwb: dict[str, pl.DataFrame]) -> dict:
    """An HWB as the template shows it: identity, verdict, feedback, worst month and gap, months."""
    gap = row["worst_total_gap_days"]
    return {
        "code": row["hwb_code"],
        "name": row["hwb_name"],
        "region": row["region"],
        "verdict": row["verdict"],
        "label": VERDICT_LABELS[row["verdict"]],
        "css": verdict_css(row["verdict"]),
        "feedback": row["feedback"],
        "worst": month_label(row["worst_month"]) if gap is not None else "",
        "gap": f"{gap:+,.1f}" if gap is not None else "",
        "months": month_views(by_hwb[row["hwb_code"]]) if row["hwb_code"] in by_hwb else [],
    }


def hwb_views(assurance: pl.DataFrame, wide: pl.DataFrame) -> tuple[list[dict], dict[str, list[dict]]]:
    """The HWBs needing attention, in order; and the in-line HWBs by region (each in hwb_code order)."""
    by_hwb = {code: frame for (code,), frame in wide.sort("month").partition_by("hwb_code", as_dict=True).items()}
    ordered = attention_first(assurance)
    attention = [hwb_view(row, by_hwb) for row in ordered.filter(pl.col("verdict") != IN_LINE).iter_rows(named=True)]
    in_line: dict[str, list[dict]] = {}
    for row in assurance.filter(pl.col("verdict") == IN_LINE).iter_rows(named=True):
        in_line.setdefault(row["region"], []).append(hwb_view(row, by_hwb))
    return attention, in_line


def write_assurance_page(
    path: Path,
    assurance: pl.DataFrame,
    wide: pl.DataFrame,
    by_region: pl.DataFrame,
    counts: dict[str, int],
    context: dict[str, object],
    assessed_months: list[date],
) -> Path:
    """The page, from the command's tables (dtoc.assure.tables: months_wide, count_by_region, count_verdicts);
    context gives plan_year, publication, plans_file and plans_sha."""
    attention, in_line = hwb_views(assurance, wide)
    regions = [
        {"name": r["region"], "anchor": anchor(r["region"]), "hwbs": r["hwbs"], "counts": [r[v] for v in VERDICTS]}
        for r in by_region.iter_rows(named=True)
    ]
    national = [
        {"label": VERDICT_LABELS[v], "meaning": VERDICT_MEANINGS[v], "count": counts[v], "css": verdict_css(v)}
        for v in VERDICTS
    ]
    period = f"{month_label(assessed_months[0])} to {month_label(assessed_months[-1])}"
    rule = (
        f"In line, in a month: {IN_LINE_RULE}; the expected days are the expected daily delays x the days in the month."
    )
    return write_page(
        path,
        "assure_page.html.j2",
        national=national,
        regions=regions,
        attention=attention,
        attention_counts=[(VERDICT_LABELS[v], counts[v]) for v in ATTENTION_ORDER if v != IN_LINE],
        in_line=[{**region, "areas": in_line[region["name"]]} for region in regions if region["name"] in in_line],
        total_hwbs=assurance.height,
        period=period,
        rule=rule,
        allowance=f"{ALLOWANCE_DAYS:g}",
        first_month=month_label(assessed_months[0]),
        attribution_labels=list(PART_LABELS.values()),
        **context,
    )
