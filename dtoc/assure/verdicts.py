"""The vocabulary of assurance, written once: verdicts and their wording, the in-line allowance, the columns.

Attributions, their spellings and labels come from dtoc.vocabulary; this module adds only what assurance says.
"""

from __future__ import annotations

import polars as pl

from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY

# Plans are whole days and the expected days are not: a planned figure up to this far above is in line.
ALLOWANCE_DAYS = 0.5

IN_LINE, REATTRIBUTED_EVIDENCED, REATTRIBUTED_UNEVIDENCED = (
    "in_line",
    "reattributed_evidenced",
    "reattributed_unevidenced",
)
NOT_IN_LINE, NO_PLAN = "not_in_line", "no_plan"
VERDICTS = (IN_LINE, REATTRIBUTED_EVIDENCED, REATTRIBUTED_UNEVIDENCED, NOT_IN_LINE, NO_PLAN)
VERDICT_LABELS = {
    IN_LINE: "In line",
    REATTRIBUTED_EVIDENCED: "Reattributed, with evidence",
    REATTRIBUTED_UNEVIDENCED: "Reattributed, no evidence",
    NOT_IN_LINE: "Not in line",
    NO_PLAN: "No plan",
}
VERDICT_MEANINGS = {
    IN_LINE: "NHS, social care and joint delays each in line with the expectation in every month (KLOE 33, 34)",
    REATTRIBUTED_EVIDENCED: "The total in line in every month, an attribution above its own expectation in some "
    "month, with evidence and rationale for the change (KLOE 35)",
    REATTRIBUTED_UNEVIDENCED: "The total in line in every month, an attribution above its own expectation in some "
    "month, with no evidence for the change (KLOE 35)",
    NOT_IN_LINE: "The total above the expected total in at least one month (KLOE 33)",
    NO_PLAN: "No rows for the HWB in the plans file",
}

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
