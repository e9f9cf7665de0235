"""What a monitoring run has to report about coverage, and its short account as data and as text."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

import polars as pl

from dtoc.periods import month_label


def describe_coverage(delayed_days: pl.DataFrame, expectations: pl.DataFrame) -> list[str]:
    """One sentence per HWB of the expectations absent from a month's workbook, and per local authority in a
    workbook that is not an HWB of the expectations (its rows are left out)."""
    areas = (
        delayed_days.filter(pl.col("area_type") == "local_authority")
        .select("month", "source_file", pl.col("ons_code").alias("hwb_code"), "area_name")
        .unique()
    )
    files = delayed_days.select("month", "source_file").unique().sort("month")
    hwbs = expectations.select("hwb_code", "hwb_name")
    absent = files.join(hwbs, how="cross").join(areas, on=["month", "hwb_code"], how="anti")
    extra = areas.join(hwbs, on="hwb_code", how="anti")
    return [
        f"{r['hwb_code']} {r['hwb_name']} has no row in the {month_label(r['month'])} workbook "
        f"{r['source_file']}; its rows for that month are absent (not estimated)"
        for r in absent.sort("month", "hwb_code").iter_rows(named=True)
    ] + [
        f"{r['hwb_code']} {r['area_name']} in the {month_label(r['month'])} workbook {r['source_file']} is "
        "not an HWB of the expectations; left out"
        for r in extra.sort("month", "hwb_code").iter_rows(named=True)
    ]


class LatestMonth(TypedDict):
    """The latest month reported: national daily delays, actual and expected, and HWBs meeting their total."""

    month: str
    actual_total_daily: float
    expected_total_daily: float
    comparator_total_daily: float
    hwbs_met: int
    hwbs_reported: int


class MonitoringSummary(TypedDict):
    """What a monitoring run covered (the command prints it), and the boundary changes it apportioned across."""

    hwbs: int
    months_reported: list[str]
    missing_months: list[str]
    latest_month: LatestMonth | None
    boundaries: list[str]


def summarise_monitoring(
    monitoring: pl.DataFrame, national: pl.DataFrame, missing_months: list, boundaries: list[str] | None = None
) -> MonitoringSummary:
    """HWBs and months covered, the missing months, the latest month's national total and HWBs meeting it, and
    the boundary changes the expectations were apportioned across."""
    total = national.filter(pl.col("attribution") == "total").sort("month")
    latest = total.row(-1, named=True) if total.height else None
    return {
        "hwbs": monitoring["hwb_code"].n_unique(),
        "months_reported": [m.isoformat() for m in total["month"].to_list()],
        "missing_months": [m.isoformat() for m in missing_months],
        "latest_month": {
            "month": latest["month"].isoformat(),
            "actual_total_daily": latest["actual_daily"],
            "expected_total_daily": latest["expected_daily"],
            "comparator_total_daily": latest["comparator_daily"],
            "hwbs_met": latest["hwbs_met"],
            "hwbs_reported": latest["hwbs_reported"],
        }
        if latest
        else None,
        "boundaries": boundaries or [],
    }


def format_monitoring_summary(summary: MonitoringSummary, year: str, out_dir: Path) -> str:
    """A few lines for the command line."""
    from datetime import date

    lines = [
        f"Monitoring {year}: {summary['hwbs']} Health and Wellbeing Boards, "
        f"{len(summary['months_reported'])} month(s) reported"
    ]
    if summary["missing_months"]:
        lines.append(
            "Missing months (no workbook; rows absent): "
            + ", ".join(month_label(date.fromisoformat(m)) for m in summary["missing_months"])
        )
    latest = summary["latest_month"]
    if latest:
        lines.append(
            f"{month_label(date.fromisoformat(latest['month']))}: national average daily delays "
            f"{latest['actual_total_daily']:,.1f} against {latest['comparator_total_daily']:,.1f} "
            f"expected; {latest['hwbs_met']} of {latest['hwbs_reported']} HWBs met their total"
        )
    lines += [f"Boundaries: {line}" for line in summary.get("boundaries", [])]
    lines.append(f"Published to {out_dir}")
    return "\n".join(lines)
