"""The short account of a run: areas, band counts and national totals, as data and as text."""
from __future__ import annotations

from pathlib import Path

import polars as pl

BANDS = ("maintain", "reduce_to_target", "reduce_by_cap")
DAILY_COLUMNS = ("baseline_nhs_daily", "baseline_asc_daily", "baseline_joint_daily", "expected_nhs_daily",
                 "expected_asc_daily", "expected_joint_daily", "expected_total_daily")


def summarise_expectations(expectations: pl.DataFrame) -> dict[str, object]:
    """Counts per band and national sums of the daily figures (full precision)."""
    totals = {c: float(expectations[c].sum()) for c in DAILY_COLUMNS}
    totals["baseline_total_daily"] = sum(totals[c] for c in DAILY_COLUMNS[:3])
    return {
        "areas": expectations.height,
        "nhs_bands": {b: int((expectations["nhs_band"] == b).sum()) for b in BANDS},
        "asc_bands": {b: int((expectations["asc_band"] == b).sum()) for b in BANDS},
        "national_daily_delays": totals,
        "band_sensitive_areas": int(expectations["band_sensitive"].is_not_null().sum())
        if "band_sensitive" in expectations.columns else 0,
    }


def format_summary(summary: dict[str, object], baseline: str, out_dir: Path) -> str:
    totals = summary["national_daily_delays"]
    lines = [
        f"Baseline {baseline}: {summary['areas']} Health and Wellbeing Boards",
        "NHS bands:          " + ", ".join(f"{b} {n}" for b, n in summary["nhs_bands"].items()),
        "Social care bands:  " + ", ".join(f"{b} {n}" for b, n in summary["asc_bands"].items()),
        "National average daily delays   baseline -> expected",
        f"  NHS          {totals['baseline_nhs_daily']:10,.1f} -> {totals['expected_nhs_daily']:10,.1f}",
        f"  Social care  {totals['baseline_asc_daily']:10,.1f} -> {totals['expected_asc_daily']:10,.1f}",
        f"  Joint        {totals['baseline_joint_daily']:10,.1f} -> {totals['expected_joint_daily']:10,.1f}",
        f"  Total        {totals['baseline_total_daily']:10,.1f} -> {totals['expected_total_daily']:10,.1f}",
        f"Published to {out_dir}",
    ]
    return "\n".join(lines)
