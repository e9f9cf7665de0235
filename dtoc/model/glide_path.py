"""The glide path, defined once: each HWB's daily level month by month, from its baseline to its expectation.

Before the plan's glide path start month an HWB is at its baseline level; from the start to the target month the
level falls on a straight line by month (daily(i) = baseline + (expected - baseline) x (i - s) / (t - s), where i,
s and t count months); from the target month on it is the expectation, held thereafter. Delayed days in a month
are its daily level times its days. The per-HWB files, the briefs, monitoring, `dtoc assure` and `dtoc split`
all read their paths from here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dtoc.periods import days_in_month, month_label, months_between
from dtoc.plan import Plan
from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY

GLIDE_PATH, EXPECTATION = "glide path", "expectation"
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


def baseline_total_daily(row: dict) -> float:
    """An expectations row's baseline daily delays over all attributions."""
    return sum(row[a.column("baseline", "daily")] for a in ATTRIBUTIONS)


def path_daily(baseline: float, expected: float, month: date, plan: Plan) -> float:
    """The daily level of any month on the path from the baseline to the expectation (see the module docstring)."""
    if month >= plan.target_month:
        return expected
    if month <= plan.glide_start:
        return baseline
    # in this order ((expected - baseline) x months done, then / months in all), as the published files were made
    done, length = months_between(plan.glide_start, month), months_between(plan.glide_start, plan.target_month)
    return baseline + (expected - baseline) * done / length


def path_stage(month: date, plan: Plan) -> str:
    """'glide path' before the target month, 'expectation' from it on."""
    return EXPECTATION if month >= plan.target_month else GLIDE_PATH


def levels(row: dict) -> dict[str, tuple[float, float]]:
    """(baseline, expected) daily delays of one expectations row per attribution short name and the total."""
    found = {a.short: (row[a.column("baseline", "daily")], row[a.column("expected", "daily")]) for a in ATTRIBUTIONS}
    return {**found, TOTAL_KEY: (baseline_total_daily(row), row["expected_total_daily"])}


def monthly_rows(row: dict, plan: Plan, months: list[date] | None = None) -> list[dict[str, Any]]:
    """One row per month (the plan year's unless given): its days, its index from the first month, the stage of
    the path, and the daily level and delayed days per attribution and the total (keyed by MONTHLY_COLUMNS)."""
    months = plan.months if months is None else months
    lines = []
    for month in months:
        days = days_in_month(month)
        daily = {short: path_daily(base, expected, month, plan) for short, (base, expected) in levels(row).items()}
        lines.append(
            {
                "month": month,
                "days_in_month": days,
                "month_index": months_between(months[0], month),
                "path": path_stage(month, plan),
                **{f"{short}_daily": value for short, value in daily.items()},
                **{f"{short}_delayed_days": value * days for short, value in daily.items()},
            }
        )
    return lines


def glide_path_frame(expectations: list[dict], plan: Plan, months: list[date] | None = None) -> list[dict[str, object]]:
    """The path in long form, the one definition monitoring compares against: one row per HWB, month (the plan
    year's unless given) and attribution key (nhs, social_care, joint, total), with the daily level expected and
    whether it is still the glide path or already the expectation."""
    keys = {**{a.short: a.key for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_KEY}
    return [
        {
            "hwb_code": row["hwb_code"],
            "month": line["month"],
            "attribution": key,
            "glide_path_daily": line[f"{short}_daily"],
            "on_glide_path": line["path"] == GLIDE_PATH,
        }
        for row in expectations
        for line in monthly_rows(row, plan, months)
        for short, key in keys.items()
    ]


def path_sentence(plan: Plan) -> str:
    """'From April 2018 a straight line by month to the expectation in September 2018, held from then on.'"""
    return (
        f"From {month_label(plan.glide_start)} a straight line by month to the expectation in "
        f"{month_label(plan.target_month)}, held from then on."
    )


def glide_path_note(plan: Plan) -> str:
    """How the Monthly figures are made, in words (shown in the sheet, the CSV's README and the JSON)."""
    start, target = month_label(plan.glide_start), month_label(plan.target_month)
    first = month_label(plan.months[0])
    before = f" Before {start}: the baseline daily level." if plan.glide_start > plan.months[0] else ""
    return (
        f"Expected delayed days per month, financial year {plan.year}. "
        f"From {target} (the target date {plan.target_date.day} {plan.target_date:%B %Y}) on: the expected daily "
        f"delays x the days in the month. Before it, a straight-line glide path of the daily level by month: "
        f"{start} = the baseline daily level, {target} = the expected daily level, "
        "daily(i) = baseline + (expected - baseline) x (i - s) / (t - s), where i is the month's index from "
        f"{first} (0), s that of {start} and t that of {target}; delayed days = daily(i) x days in the month."
        f"{before} Joint delays are held at the baseline, so their path is flat. Figures keep full precision."
    )
