"""The monitoring page's charts: per HWB a small chart of NHS, social care and total actual daily delays against
their comparators (the total's months marked met or not), and per attribution England's actual daily delays (the
sum of the HWBs and England as published) against the summed glide path and expectation. Line charts of
dtoc.report.line_chart, colours from the vocabulary and dtoc.report.charts."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from markupsafe import Markup

from dtoc.report.charts import BASELINE, COMPARATOR, ENGLAND
from dtoc.report.line_chart import Frame, line_chart_svg
from dtoc.report.shapes import Series
from dtoc.vocabulary import ATTRIBUTIONS, NHS, PART_LABELS, SOCIAL_CARE, TOTAL_COLOUR, TOTAL_KEY

ATTRIBUTION_LABELS = PART_LABELS
SHOWN = (NHS.key, SOCIAL_CARE.key, TOTAL_KEY)
LINE_COLOURS = {**{a.key: a.colour for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_COLOUR}
SMALL, NATIONAL = Frame(330, 150, legend=False), Frame(420, 220)


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
        chart = line_chart_svg(months, hwb_series(frame, months), f"{name} ({code}): actual daily delays", SMALL)
        figures.append({"code": code, "name": name, "missed": missed, "assessed": total.height, "chart": Markup(chart)})
    return sorted(figures, key=lambda f: (f["name"].lower(), f["code"]))


def national_charts(national: pl.DataFrame, months: list[date], hwbs: int) -> list[tuple[str, Markup]]:
    """Per attribution: the sum of the HWBs' actual daily delays and England as published, against the summed
    glide path and expectation."""
    has_england = "england_published_daily" in national.columns
    charts = []
    for key, label in ATTRIBUTION_LABELS.items():
        frame = national.filter(pl.col("attribution") == key)
        series = [
            Series(f"sum of the {hwbs} HWBs", month_slots(frame, months, "actual_daily"), LINE_COLOURS[key], width=2.0)
        ]
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
            Series("HWBs' expected", month_slots(frame, months, "expected_daily"), BASELINE, dashed=True),
        ]
        title = f"England: {label}, actual daily delays"
        charts.append((title, Markup(line_chart_svg(months, series, title, NATIONAL))))
    return charts
