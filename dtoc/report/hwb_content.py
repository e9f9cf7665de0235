"""The content of one HWB's publication files, as plain rows: the summary (one row per attribution and the
total), the Monthly path (one row per month of the target date's financial year) and, for monitoring, the same
path in long form (one row per HWB, month and attribution).

Pure functions of one `expectations` row and the config: the one glide path, which the writers in
dtoc.report.hwb_files lay out as a workbook, CSV and JSON (every format with the same figures at full precision),
and which the briefs, monitoring, `dtoc assure` and `dtoc split` read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dtoc.config import Config
from dtoc.periods import days_in_month, financial_year_months
from dtoc.vocabulary import ATTRIBUTIONS, JOINT_BAND, TOTAL_KEY, TOTAL_LABEL, band_reason

SUMMARY_COLUMNS = (
    "attribution",
    "band",
    "baseline_daily",
    "baseline_rate",
    "expected_daily",
    "expected_rate",
    "reason",
)
MONTHLY_COLUMNS = (
    "month",
    "days_in_month",
    "month_index",
    "path",
    *(f"{a.short}_daily" for a in ATTRIBUTIONS),
    "total_daily",
    *(f"{a.short}_delayed_days" for a in ATTRIBUTIONS),
    "total_delayed_days",
)


def glide_path_note(config: Config) -> str:
    """How the Monthly figures are made, in words (shown in the sheet, the CSV's README and the JSON)."""
    first, target = target_months(config)
    return (
        f"Expected delayed days per month, financial year {financial_year_label(config.target_date)}. "
        f"From {target:%B %Y} (the target date {config.target_date:%d %B %Y}) on: the expected daily delays x "
        f"the days in the month. Before it, a straight-line glide path of the daily level by month index: "
        f"{first:%B %Y} = the baseline daily level, {target:%B %Y} = the expected daily level, "
        "daily(i) = baseline + (expected - baseline) x i / n, where i is the month's index from "
        f"{first:%B %Y} (0) and n that of {target:%B %Y}; delayed days = daily(i) x days in the month. "
        "Joint delays are held at the baseline, so their path is flat. Figures keep full precision."
    )


def financial_year_label(day: date) -> str:
    """'2018-19' for any day from April 2018 to March 2019."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def target_months(config: Config) -> tuple[date, date]:
    """The first month of the target date's financial year and the month of the target date."""
    months = financial_year_months(financial_year_label(config.target_date))
    return months[0], date(config.target_date.year, config.target_date.month, 1)


def baseline_total_daily(row: dict) -> float:
    return row["baseline_nhs_daily"] + row["baseline_asc_daily"] + row["baseline_joint_daily"]


def summary_rows(row: dict, config: Config) -> list[dict[str, Any]]:
    """One row per attribution (NHS, social care, joint) and the total: band, baseline, expectation, reason
    (keyed by SUMMARY_COLUMNS)."""
    rows = []
    for part in ATTRIBUTIONS:
        band = row[part.band_column] if part.banded else JOINT_BAND
        figures = {
            f"{stage}_{kind}": row[part.column(stage, kind)]
            for stage in ("baseline", "expected")
            for kind in ("daily", "rate")
        }
        rows.append(
            {
                "attribution": part.long_label,
                "band": band,
                **figures,
                "reason": band_reason(
                    band, figures["baseline_rate"], figures["expected_rate"], config.policy(part.short)
                ),
            }
        )
    population = row["population_18plus"]
    baseline, expected = baseline_total_daily(row), row["expected_total_daily"]
    rows.append(
        {
            "attribution": TOTAL_LABEL,
            "band": None,
            "baseline_daily": baseline,
            "baseline_rate": baseline / population * 100000,
            "expected_daily": expected,
            "expected_rate": expected / population * 100000,
            "reason": "The sum of the three attributions.",
        }
    )
    return rows


def glide_daily(baseline: float, expected: float, index: int, target_index: int) -> float:
    """The daily level of month `index` on the straight line from baseline (index 0) to expected (target)."""
    if index >= target_index:
        return expected
    if index <= 0:
        return baseline
    return baseline + (expected - baseline) * index / target_index


def monthly_rows(row: dict, config: Config) -> list[dict[str, Any]]:
    """One row per month of the target date's financial year: daily level and delayed days per attribution
    (keyed by MONTHLY_COLUMNS, which the vocabulary's attributions name)."""
    target = target_months(config)[1]
    months = financial_year_months(financial_year_label(config.target_date))
    target_index = months.index(target)
    levels = {a.short: (row[a.column("baseline", "daily")], row[a.column("expected", "daily")]) for a in ATTRIBUTIONS}
    levels["total"] = (baseline_total_daily(row), row["expected_total_daily"])
    rows = []
    for index, month in enumerate(months):
        days = days_in_month(month)
        daily = {short: glide_daily(base, expected, index, target_index) for short, (base, expected) in levels.items()}
        rows.append(
            {
                "month": month,
                "days_in_month": days,
                "month_index": index,
                "path": "expectation" if index >= target_index else "glide path",
                **{f"{short}_daily": value for short, value in daily.items()},
                **{f"{short}_delayed_days": value * days for short, value in daily.items()},
            }
        )
    return rows


def glide_path_frame(expectations: list[dict], config: Config) -> list[dict[str, object]]:
    """The monthly path in long form, the one definition monitoring compares against: one row per HWB, month
    of the target date's financial year and attribution key (nhs, social_care, joint, total), with the daily
    level expected (`monthly_rows`) and whether it is still the glide path or already the expectation."""
    keys = {**{a.short: a.key for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_KEY}
    return [
        {
            "hwb_code": row["hwb_code"],
            "month": line["month"],
            "attribution": key,
            "glide_path_daily": line[f"{short}_daily"],
            "on_glide_path": line["path"] == "glide path",
        }
        for row in expectations
        for line in monthly_rows(row, config)
        for short, key in keys.items()
    ]
