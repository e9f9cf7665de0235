"""The rules of assurance, written once: the plans and shares files' columns, the outputs'
columns.

The verdicts, their labels, meanings and the order an assurer reads them in are words, so they are written in
dtoc.vocabulary with every other wording (and re-exported here), as is the in-line allowance with its sentence;
attributions come from there too.
"""

from __future__ import annotations

import polars as pl

from dtoc.vocabulary import (
    ALLOWANCE_DAYS,
    ATTENTION_ORDER,
    ATTRIBUTIONS,
    IN_LINE,
    NO_PLAN,
    NOT_IN_LINE,
    REATTRIBUTED_EVIDENCED,
    REATTRIBUTED_UNEVIDENCED,
    TOTAL_KEY,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    VERDICTS,
)

__all__ = [
    "ALLOWANCE_DAYS",
    "ASSURANCE_COLUMNS",
    "ASSURANCE_SCHEMA",
    "ATTENTION_ORDER",
    "EVIDENCE_COLUMN",
    "IN_LINE",
    "IN_LINE_COLUMNS",
    "MONTH_COLUMNS",
    "MONTH_SCHEMA",
    "NOT_IN_LINE",
    "NO_PLAN",
    "PLAN_COLUMNS",
    "PLAN_DAY_COLUMNS",
    "REATTRIBUTED_EVIDENCED",
    "REATTRIBUTED_UNEVIDENCED",
    "SHARE_COLUMNS",
    "SHARE_SUM_TOLERANCE",
    "VERDICTS",
    "VERDICT_LABELS",
    "VERDICT_MEANINGS",
]

# The plans file: one planned-days column per attribution ('nhs_days', 'asc_days', 'joint_days').
PLAN_DAY_COLUMNS = {a.key: f"{a.short}_days" for a in ATTRIBUTIONS}
PLAN_COLUMNS = ("hwb_code", "month", *PLAN_DAY_COLUMNS.values())
EVIDENCE_COLUMN = "evidence"
SHARE_COLUMNS = ("hwb_code", "ccg_code", "ccg_name", "nhs_share")
# Shares of an HWB must add up to 1 within this (floating-point sums of decimal fractions are not exact).
SHARE_SUM_TOLERANCE = 1e-6

# Whether an HWB's plan is in line, per attribution and for the total, by the KLOE that asks it: the total is
# KLOE 33, each banded attribution KLOE 34 (NHS and social care separately), a held one no KLOE of its own.
IN_LINE_COLUMNS = {
    TOTAL_KEY: "kloe33_total_in_line",
    **{a.key: f"kloe34_{a.short}_in_line" if a.banded else f"{a.short}_in_line" for a in ATTRIBUTIONS},
}

# The outputs, with their types: one row per HWB, and the long form per HWB, month and attribution.
ASSURANCE_SCHEMA = {
    "hwb_code": pl.String,
    "hwb_name": pl.String,
    "region": pl.String,
    "verdict": pl.String,
    **dict.fromkeys(IN_LINE_COLUMNS.values(), pl.Boolean),
    "kloe35_evidence": pl.Boolean,
    "evidence": pl.String,
    "months_planned": pl.Int64,
    "worst_month": pl.Date,
    "worst_total_gap_days": pl.Float64,
    "feedback": pl.String,
}
MONTH_SCHEMA = {
    "hwb_code": pl.String,
    "hwb_name": pl.String,
    "region": pl.String,
    "month": pl.Date,
    "attribution": pl.String,
    "comparison": pl.String,
    "assessed": pl.Boolean,
    "planned_days": pl.Int64,
    "expected_days": pl.Float64,
    "gap_days": pl.Float64,
    "in_line": pl.Boolean,
}
ASSURANCE_COLUMNS, MONTH_COLUMNS = tuple(ASSURANCE_SCHEMA), tuple(MONTH_SCHEMA)
