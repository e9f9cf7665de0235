"""The monitoring report for people: an Excel workbook (dtoc.monitor.monitoring_xlsx) and a self-contained HTML page
(templates/monitoring.html.j2): per attribution, England's actual daily delays both as the sum of the HWBs and as
published (the workbooks' England row), against the summed glide path and expectation; an index of the HWBs; and
per HWB a chart of NHS, social care and total delays against their comparators (inline SVG, no URLs, no script)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from markupsafe import Markup

from dtoc.monitor.compute import MonitoringResult
from dtoc.periods import month_label
from dtoc.plan import Plan
from dtoc.report import display
from dtoc.report.line_chart import Series, chart_svg, legend_height, legend_shapes, line_chart_svg
from dtoc.report.pages import render_page
from dtoc.vocabulary import ATTRIBUTIONS, NHS, SOCIAL_CARE, TOTAL_KEY, TOTAL_LABEL

ATTRIBUTION_LABELS = {**{a.key: a.label for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_LABEL}
ACTUAL, ENGLAND, COMPARATOR, EXPECTED = "#1f4e79", "#762a83", "#d9822b", "#7f7f7f"
SHOWN = (NHS.key, SOCIAL_CARE.key, TOTAL_KEY)
LINE_COLOURS = {NHS.key: "#2166ac", SOCIAL_CARE.key: "#c2571a", TOTAL_KEY: "#111111"}


def month_slots(frame: pl.DataFrame, months: list[date], column: str) -> list[Any]:
    """The column's value for each month of the year, None where the frame has no row for the month."""
    by_month = dict(zip(frame["month"].to_list(), frame[column].to_list(), strict=True))
    return [by_month.get(m) for m in months]


def hwb_series(frame: pl.DataFrame, months: list[date]) -> list[Series]:
    """Per attribution shown (NHS, social care, total): the actual line and its comparator dashed; the total's
    months marked met (hollow) or not met (red)."""
    series = []
    for key in SHOWN:
        rows = frame.filter(pl.col("attribution") == key)
        marks = month_slots(rows, months, "met") if key == TOTAL_KEY else None
        series += [
            Series(
                f"{ATTRIBUTION_LABELS[key]}: actual",
                month_slots(rows, months, "actual_daily"),
                LINE_COLOURS[key],
                marks=marks,
                width=2.0 if key == TOTAL_KEY else 1.3,
            ),
            Series(
                f"{ATTRIBUTION_LABELS[key]}: glide path, then expected",
                month_slots(rows, months, "comparator_daily"),
                LINE_COLOURS[key],
                dashed=True,
                width=1.0,
            ),
        ]
    return series


def hwb_figures(monitoring: pl.DataFrame, months: list[date]) -> list[dict]:
    """One small multiple per HWB, sorted by name: its full name and code, months missed, and the chart."""
    figures = []
    for (code,), frame in monitoring.group_by("hwb_code", maintain_order=True):
        total = frame.filter((pl.col("attribution") == TOTAL_KEY) & (pl.col("comparator") == "expected"))
        missed = total.height - int(total["met"].sum())
        name = frame["hwb_name"][0]
        chart = line_chart_svg(
            months, hwb_series(frame, months), f"{name} ({code}): actual daily delays", 330, 150, legend=False
        )
        figures.append({"code": code, "name": name, "missed": missed, "assessed": total.height, "chart": Markup(chart)})
    return sorted(figures, key=lambda f: (f["name"].lower(), f["code"]))


def national_charts(national: pl.DataFrame, months: list[date], hwbs: int) -> list[tuple[str, Markup]]:
    """Per attribution: the sum of the HWBs' actual daily delays and England as published, against the summed
    glide path and expectation."""
    has_england = "england_published_daily" in national.columns
    charts = []
    for key, label in ATTRIBUTION_LABELS.items():
        frame = national.filter(pl.col("attribution") == key)
        series = [Series(f"sum of the {hwbs} HWBs", month_slots(frame, months, "actual_daily"), ACTUAL, width=2.0)]
        if has_england:
            series.append(
                Series("England as published", month_slots(frame, months, "england_published_daily"), ENGLAND)
            )
        series += [
            Series(
                "HWBs' glide path, then expected",
                month_slots(frame, months, "comparator_daily"),
                COMPARATOR,
                dashed=True,
            ),
            Series("HWBs' expected", month_slots(frame, months, "expected_daily"), EXPECTED, dashed=True),
        ]
        title = f"England: {label}, actual daily delays"
        charts.append((title, Markup(line_chart_svg(months, series, title, 420, 220))))
    return charts


def national_rows(national: pl.DataFrame) -> list[dict]:
    """The national total per month, as displayed."""
    total = national.filter(pl.col("attribution") == TOTAL_KEY).sort("month")
    return [
        {
            "month": month_label(r["month"]),
            "actual": display.daily(r["actual_daily"]),
            "england": display.daily(r["england_published_daily"])
            if r.get("england_published_daily") is not None
            else "-",
            "comparator": display.daily(r["comparator_daily"]),
            "expected": display.daily(r["expected_daily"]),
            "met": "met" if r["met"] else "not met",
            "distance": "" if r["distance"] is None else format(r["distance"], "+,.1f"),
            "hwbs": f"{r['hwbs_met']} of {r['hwbs_reported']}",
        }
        for r in total.iter_rows(named=True)
    ]


def comparator_rule(plan: Plan, year_months: list[date]) -> tuple[str, str]:
    """What each month of the year is compared with, in words, and from when months count as missed."""
    target, start = month_label(plan.target_month), month_label(plan.glide_start)
    if year_months[0] >= plan.target_month:
        return (
            f"The expectations were to be met by {display.long_date(plan.target_date)} and held thereafter: every "
            "month of the year is compared with the expectation.",
            "of the year",
        )
    return (
        f"Before {target} the comparator is the glide path (a straight line from the baseline daily in {start} to "
        f"the expected daily in {target}); from {target} on it is the expectation.",
        f"from {target} on",
    )


def render_monitoring_html(
    monitoring: pl.DataFrame,
    national: pl.DataFrame,
    notes: list[str],
    year_months: list[date],
    year: str,
    expectations_source: str,
    plan: Plan,
) -> str:
    """The whole page as one string: notes, England (sum of the HWBs and as published), an index of the HWBs and a
    small multiple per HWB (templates/monitoring.html.j2)."""
    figures = hwb_figures(monitoring.sort("hwb_code", "month"), year_months)
    key = hwb_series(monitoring.head(0), year_months)
    return render_page(
        "monitoring.html.j2",
        year=year,
        plan_year=plan.year,
        comparator_rule=comparator_rule(plan, year_months)[0],
        missed_from=comparator_rule(plan, year_months)[1],
        notes=notes,
        source=expectations_source,
        national=national_rows(national),
        charts=national_charts(national, year_months, len(figures)),
        figures=figures,
        hwbs=len(figures),
        key=Markup(
            chart_svg(
                legend_shapes(key, 0, 660, 12, step=220),
                660,
                12 + legend_height(len(key), 0, 660, step=220),
                "Key to the charts of each HWB",
            )
        ),
    )


def write_monitoring_report(folder: Path, result: MonitoringResult, plan: Plan) -> Path:
    """monitoring.html in folder (dtoc.commands.monitor writes monitoring.xlsx, with its Summary sheet)."""
    html_path = folder / "monitoring.html"
    page = render_monitoring_html(
        result.monitoring, result.national, result.notes, result.months, result.year, result.expectations_source, plan
    )
    html_path.write_bytes(page.encode("utf-8"))
    return html_path
