"""Inline SVG line charts for the monitoring report: no scripts, no fonts or files fetched, no namespace URL.

A chart has one slot per month of the year; a series' value is None where a month has no figure, which
leaves a gap in its line (a missing month is shown as missing, not drawn through).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

MONTH_INITIALS = "JFMAMJJASOND"
DASH = ' stroke-dasharray="4 3"'


@dataclass(frozen=True)
class Series:
    """One line: a label for the legend, one value per month slot (None = no figure), colour and dash."""

    label: str
    values: list[float | None]
    colour: str
    dashed: bool = False
    marks: list[bool | None] | None = None  # per slot: True met, False missed, None no mark


def scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return start + (value - low) / (high - low) * (end - start) if high > low else (start + end) / 2


def nice_ticks(high: float) -> list[float]:
    """Round gridline values from 0 up to high: steps of 1, 2 or 5 times a power of ten, two to five of them."""
    step = 10 ** math.floor(math.log10(high / 2)) if high > 0 else 1.0
    step = next(step * f for f in (1, 2, 5, 10) if high / (step * f) <= 5)
    return [step * i for i in range(int(high // step) + 1)]


def segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points, split where a point is None."""
    runs, current = [], []
    for point in points:
        if point is None:
            runs, current = (runs + [current]) if current else runs, []
        else:
            current.append(point)
    return runs + [current] if current else runs


def series_svg(series: Series, xs: list[float], y_of) -> str:
    """The polylines of one series, and a dot per month marked met (hollow) or missed (filled red)."""
    points = [None if v is None else (x, y_of(v)) for x, v in zip(xs, series.values)]
    dash = DASH if series.dashed else ""
    parts = [f'<polyline fill="none" stroke="{series.colour}" stroke-width="1.6"{dash} points="'
             + " ".join(f"{x:.1f},{y:.1f}" for x, y in run) + '"/>' for run in segments(points)]
    for point, mark in zip(points, series.marks or []):
        if point is not None and mark is not None:
            fill = "#ffffff" if mark else "#c0392b"
            parts.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="2.4" fill="{fill}" '
                         f'stroke="{series.colour}"/>')
    return "".join(parts)


def line_chart_svg(months: list[date], series: list[Series], title: str, width: int = 300,
                   height: int = 170) -> str:
    """An SVG chart of the series over the months (x) from 0 to the largest value (y), with a legend."""
    left, right, top, bottom = 38, 8, 22, 34
    values = [v for s in series for v in s.values if v is not None]
    high = max(values + [0.0]) * 1.1 or 1.0
    xs = [scale(i, 0, max(len(months) - 1, 1), left, width - right) for i in range(len(months))]
    y_of = lambda v: scale(v, 0.0, high, height - bottom, top)  # noqa: E731 - a local scale
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y_of(t):.1f}" y2="{y_of(t):.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{left - 3}" y="{y_of(t) + 3:.1f}" text-anchor="end">{round(t, 6):,g}</text>'
                   for t in nice_ticks(high))
    axis = "".join(f'<text x="{x:.1f}" y="{height - bottom + 11}" text-anchor="middle">{MONTH_INITIALS[m.month - 1]}'
                   "</text>" for x, m in zip(xs, months))
    legend = "".join(f'<line x1="{left + i * 95}" x2="{left + i * 95 + 14}" y1="{height - 8}" y2="{height - 8}" '
                     f'stroke="{s.colour}" stroke-width="1.6"{DASH if s.dashed else ""}/>'
                     f'<text x="{left + i * 95 + 17}" y="{height - 5}">{escape(s.label)}</text>'
                     for i, s in enumerate(series))
    lines = "".join(series_svg(s, xs, y_of) for s in series)
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(title)}" font-family="sans-serif" font-size="9" fill="#333">'
            f'<title>{escape(title)}</title><text x="{left}" y="13" font-size="10" font-weight="bold">'
            f'{escape(title)}</text>{grid}{axis}{lines}{legend}</svg>')
