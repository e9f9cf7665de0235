"""The monitoring report for people: an Excel workbook (dtoc.monitor.monitoring_xlsx) and a self-contained HTML page
(templates/monitoring.html.j2): first the HWBs furthest above their expectation (dtoc.monitor.ranking); per
attribution, England's actual daily delays both as the sum of the HWBs and as published (the workbooks' England
row), against the summed glide path and expectation; an index of the HWBs; and per HWB a chart of NHS, social care
and total delays against their comparators (inline SVG, no URLs, no script)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from markupsafe import Markup

from dtoc.monitor.charts import hwb_figures, hwb_series, national_charts
from dtoc.monitor.compute import MonitoringResult
from dtoc.monitor.ranking import furthest_above
from dtoc.periods import month_label
from dtoc.plan import Plan
from dtoc.report import display
from dtoc.report.line_chart import chart_svg
from dtoc.report.line_labels import legend_height, legend_shapes
from dtoc.report.pages import render_page
from dtoc.vocabulary import TOTAL_KEY


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


def furthest_rows(monitoring: pl.DataFrame) -> list[dict]:
    """The HWBs above their expectation in the latest month judged, furthest first (dtoc.monitor.ranking, the
    order monitoring.xlsx opens with too), as displayed."""
    return [
        {
            "code": row["hwb_code"],
            "name": row["hwb_name"],
            "month": month_label(row["month"]),
            "actual": display.daily(row["actual_daily"]),
            "expected": display.daily(row["expected_daily"]),
            "above": f"{row['distance']:+,.1f}",
            "missed": row["months_missed_to_date"],
        }
        for row in furthest_above(monitoring).iter_rows(named=True)
        if row["distance"] > 0
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
        furthest=furthest_rows(monitoring),
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
