"""The CCG split, one row per HWB, CCG and month of the plan year: the CCG's share of its HWB's baseline and
expected NHS daily delays and of the reduction, and of the glide path's level that month
(dtoc.model.glide_path.monthly_rows, the one glide path)."""

from __future__ import annotations

import polars as pl

from dtoc.assure.shares import Share
from dtoc.model.glide_path import monthly_rows
from dtoc.plan import Plan
from dtoc.vocabulary import NHS

BASELINE, EXPECTED = NHS.column("baseline", "daily"), NHS.column("expected", "daily")
SPLIT_SCHEMA = {
    "hwb_code": pl.String,
    "hwb_name": pl.String,
    "ccg_code": pl.String,
    "ccg_name": pl.String,
    "nhs_share": pl.Float64,
    "month": pl.Date,
    "comparison": pl.String,
    "days_in_month": pl.Int64,
    BASELINE: pl.Float64,
    EXPECTED: pl.Float64,
    "reduction_nhs_daily": pl.Float64,
    "path_nhs_daily": pl.Float64,
    "path_nhs_delayed_days": pl.Float64,
    "path_reduction_nhs_daily": pl.Float64,
    "path_reduction_nhs_delayed_days": pl.Float64,
}


def split_rows(row: dict, share: Share, plan: Plan) -> list[dict]:
    """One row per month of the plan year: the CCG's share of the HWB's NHS figures. `path_*` is the glide
    path's level that month (the expectation from the target month on); a reduction is baseline - level."""
    fraction, baseline, expected = share.nhs_share, row[BASELINE], row[EXPECTED]
    rows = []
    for path in monthly_rows(row, plan):
        level, days = path[f"{NHS.short}_daily"], path["days_in_month"]
        rows.append(
            {
                "hwb_code": row["hwb_code"],
                "hwb_name": row["hwb_name"],
                "ccg_code": share.ccg_code,
                "ccg_name": share.ccg_name,
                "nhs_share": fraction,
                "month": path["month"],
                "comparison": path["path"],
                "days_in_month": days,
                BASELINE: fraction * baseline,
                EXPECTED: fraction * expected,
                "reduction_nhs_daily": fraction * (baseline - expected),
                "path_nhs_daily": fraction * level,
                "path_nhs_delayed_days": fraction * level * days,
                "path_reduction_nhs_daily": fraction * (baseline - level),
                "path_reduction_nhs_delayed_days": fraction * (baseline - level) * days,
            }
        )
    return rows


def split_by_ccg(expectations: dict[str, dict], shares: list[Share], plan: Plan) -> pl.DataFrame:
    """ccg_split: one row per HWB, CCG and month, sorted by hwb_code, ccg_code and month."""
    rows = [r for share in shares for r in split_rows(expectations[share.hwb_code], share, plan)]
    return pl.DataFrame(rows, schema=SPLIT_SCHEMA).sort("hwb_code", "ccg_code", "month")
