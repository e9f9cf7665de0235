"""The judgement: each planned month against the HWB's expected days, and a verdict per HWB (KLOE 33-35).
Output: `assurance`, one row per HWB of the publication, and `assurance_months`, one row per planned HWB, month
and attribution (nhs, social_care, joint, then the total).

Expected days come from dtoc.model.glide_path.monthly_rows, the one glide path: from the target month on,
the expected daily figure x the days in the month; before it, the glide path (compared for information only).
A planned figure is in line when it is at most the expected days + ALLOWANCE_DAYS. A month's total is in line
when the planned total is, or when all three attributions are in line that month (three whole-day figures
rounded to their expectations may add up to 1.5 days above the exact total; that plan meets every expectation).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from dtoc.assure.feedback import feedback_sentence
from dtoc.assure.verdicts import (
    ALLOWANCE_DAYS,
    ASSURANCE_COLUMNS,
    ASSURANCE_SCHEMA,
    IN_LINE,
    IN_LINE_COLUMNS,
    MONTH_SCHEMA,
    NO_PLAN,
    NOT_IN_LINE,
    REATTRIBUTED_EVIDENCED,
    REATTRIBUTED_UNEVIDENCED,
)
from dtoc.model.glide_path import monthly_rows
from dtoc.plan import Plan
from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY


def compared(attribution: str, planned: int, expected: float, parts_in_line: bool = False) -> dict[str, object]:
    """Planned against expected days: the gap (planned - expected) and whether the figure is in line."""
    return {
        "attribution": attribution,
        "planned_days": planned,
        "expected_days": expected,
        "gap_days": planned - expected,
        "in_line": planned <= expected + ALLOWANCE_DAYS or parts_in_line,
    }


def compare_months(row: dict, planned: dict[date, dict[str, int]], target: date, plan: Plan) -> list[dict]:
    """One row per planned month and attribution, then the month's total (the long form of one HWB)."""
    result = []
    for path in monthly_rows(row, plan):
        figures = planned.get(path["month"])
        if figures is None:
            continue
        parts = [compared(a.key, figures[a.key], path[f"{a.short}_delayed_days"]) for a in ATTRIBUTIONS]
        total = compared(TOTAL_KEY, sum(figures.values()), path["total_delayed_days"], all(p["in_line"] for p in parts))
        identity = {
            "hwb_code": row["hwb_code"],
            "hwb_name": row["hwb_name"],
            "region": row["region"],
            "month": path["month"],
            "comparison": path["path"],
            "assessed": path["month"] >= target,
        }
        result += [{**identity, **item} for item in (*parts, total)]
    return result


def choose_verdict(in_line: dict[str, bool], evidenced: bool) -> str:
    """not_in_line if the total is out in any month; in_line if every attribution is in every month; else the
    total is in line but an attribution is above its own expectation: reattributed, with or without evidence."""
    if not in_line[TOTAL_KEY]:
        return NOT_IN_LINE
    if all(in_line[a.key] for a in ATTRIBUTIONS):
        return IN_LINE
    return REATTRIBUTED_EVIDENCED if evidenced else REATTRIBUTED_UNEVIDENCED


def judge_hwb(row: dict, months: list[dict], evidence: list[str], assessed_months: list[date]) -> dict:
    """One HWB's row of assurance.csv from its long-form rows."""
    assessed = [m for m in months if m["assessed"]]
    in_line = {
        key: all(m["in_line"] for m in assessed if m["attribution"] == key)
        for key in (*(a.key for a in ATTRIBUTIONS), TOTAL_KEY)
    }
    verdict = choose_verdict(in_line, bool(evidence))
    totals = [m for m in assessed if m["attribution"] == TOTAL_KEY]
    worst = max(totals, key=lambda m: (m["gap_days"], -m["month"].toordinal()))
    return {
        "hwb_code": row["hwb_code"],
        "hwb_name": row["hwb_name"],
        "region": row["region"],
        "verdict": verdict,
        **{column: in_line[key] for key, column in IN_LINE_COLUMNS.items()},
        "kloe35_evidence": bool(evidence),
        "evidence": "; ".join(evidence) or None,
        "months_planned": len({m["month"] for m in months}),
        "worst_month": worst["month"],
        "worst_total_gap_days": worst["gap_days"],
        "feedback": feedback_sentence(verdict, assessed, evidence, assessed_months),
    }


def no_plan_row(row: dict, assessed_months: list[date]) -> dict:
    empty = dict.fromkeys(ASSURANCE_COLUMNS)
    return {
        **empty,
        "hwb_code": row["hwb_code"],
        "hwb_name": row["hwb_name"],
        "region": row["region"],
        "verdict": NO_PLAN,
        "months_planned": 0,
        "feedback": feedback_sentence(NO_PLAN, [], [], assessed_months),
    }


def judge_plans(
    expectations: list[dict],
    planned: dict[str, dict[date, dict[str, int]]],
    evidence: dict[str, list[str]],
    target: date,
    year_months: list[date],
    plan: Plan,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(assurance, months): one row per HWB of the publication, sorted by hwb_code; the long form per HWB,
    month and attribution (NHS, social care, joint, then the total) of the HWBs that have a plan."""
    assessed_months = [m for m in year_months if m >= target]
    hwbs, long = [], []
    for row in sorted(expectations, key=lambda r: r["hwb_code"]):
        if row["hwb_code"] not in planned:
            hwbs.append(no_plan_row(row, assessed_months))
            continue
        months = compare_months(row, planned[row["hwb_code"]], target, plan)
        hwbs.append(judge_hwb(row, months, evidence.get(row["hwb_code"], []), assessed_months))
        long += months
    return (pl.DataFrame(hwbs, schema=ASSURANCE_SCHEMA), pl.DataFrame(long, schema=MONTH_SCHEMA))
