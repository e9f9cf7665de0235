"""Line charts over the months of a year, as drawing instructions (`Shape`s) that two writers render: inline SVG
for the HTML pages (`chart_svg`) and ReportLab for the PDF briefs (dtoc.report.pdf_chart), so both show one chart.

A chart has one slot per month; a series' value is None where a month has no figure, which leaves a gap in its
line (a missing month is shown as missing, not drawn through). Coordinates have the origin at the top left, y
down, and are written with one decimal so the same figures give the same bytes. No scripts, fonts or namespace
URL: the SVG is meant to be inlined in a page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

MONTH_INITIALS = "JFMAMJJASOND"
DASH = "4 3"


@dataclass(frozen=True)
class Series:
    """One line: a label for the legend, one value per month slot (None = no figure), colour and dash."""

    label: str
    values: list[float | None]
    colour: str
    dashed: bool = False
    marks: list[bool | None] | None = None  # per slot: True met (hollow dot), False missed (red dot), None none
    width: float = 1.6


@dataclass(frozen=True)
class Shape:
    """One drawing instruction: 'line' through points, 'text' at points[0], or 'circle' at points[0]."""

    kind: str
    points: tuple[tuple[float, float], ...]
    colour: str = "#333333"
    width: float = 1.0
    dashed: bool = False
    text: str = ""
    anchor: str = "start"
    size: float = 9.0
    fill: str | None = None


def scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return start + (value - low) / (high - low) * (end - start) if high > low else (start + end) / 2


def nice_ticks(high: float) -> list[float]:
    """Round gridline values from 0 up to high: steps of 1, 2 or 5 times a power of ten, two to five of them."""
    step = 10 ** math.floor(math.log10(high / 2)) if high > 0 else 1.0
    step = next(step * f for f in (1, 2, 5, 10) if high / (step * f) <= 5)
    return [step * i for i in range(int(high // step) + 1)]


def segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points, split where a point is None."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for point in points:
        if point is None:
            runs, current = [*runs, current] if current else runs, []
        else:
            current.append(point)
    return [*runs, current] if current else runs


def series_shapes(series: Series, xs: list[float], y_of) -> list[Shape]:
    """The lines of one series, and a dot per month marked met (hollow) or missed (filled red)."""
    points = [None if v is None else (x, y_of(v)) for x, v in zip(xs, series.values, strict=True)]
    shapes = [Shape("line", tuple(run), series.colour, series.width, series.dashed) for run in segments(points)]
    for point, mark in zip(points, series.marks or [], strict=False):  # a series may have no marks
        if point is not None and mark is not None:
            shapes.append(
                Shape("circle", (point,), series.colour, 1.0, size=2.4, fill="#ffffff" if mark else "#c0392b")
            )
    return shapes


def legend_shapes(series: list[Series], left: float, width: float, top: float, step: float = 110) -> list[Shape]:
    """A key of every series, wrapped onto as many rows of `step` wide entries as the width needs."""
    per_row = max(int((width - left) // step), 1)
    shapes = []
    for index, item in enumerate(series):
        x, y = left + (index % per_row) * step, top + (index // per_row) * 12
        shapes += [
            Shape("line", ((x, y - 3), (x + 14, y - 3)), item.colour, item.width, item.dashed),
            Shape("text", ((x + 17, y),), text=item.label),
        ]
    return shapes


def legend_height(count: int, left: float, width: float, step: float = 110) -> float:
    return 12 * math.ceil(count / max(int((width - left) // step), 1)) if count else 0


def chart_shapes(
    months: list[date],
    series: list[Series],
    width: float,
    height: float,
    legend: bool = True,
    month_labels: str = "initial",
) -> list[Shape]:
    """The chart of the series over the months (x) from 0 to the largest value (y), with its key below."""
    left, right, top = 38, 8, 8
    bottom = 18 + (legend_height(len(series), left, width) + 4 if legend else 0)
    values = [v for s in series for v in s.values if v is not None]
    high = max([*values, 0.0]) * 1.1 or 1.0
    xs = [scale(i, 0, max(len(months) - 1, 1), left, width - right) for i in range(len(months))]
    y_of = lambda v: scale(v, 0.0, high, height - bottom, top)  # noqa: E731 - a local scale
    shapes = []
    for tick in nice_ticks(high):
        y = y_of(tick)
        shapes += [
            Shape("line", ((left, y), (width - right, y)), "#e3e3e3"),
            Shape("text", ((left - 3, y + 3),), text=f"{round(tick, 6):,g}", anchor="end"),
        ]
    for x, month in zip(xs, months, strict=True):
        label = MONTH_INITIALS[month.month - 1] if month_labels == "initial" else f"{month:%b}"
        shapes.append(Shape("text", ((x, height - bottom + 11),), text=label, anchor="middle"))
    for item in series:
        shapes += series_shapes(item, xs, y_of)
    return shapes + (legend_shapes(series, left, width, height - bottom + 26) if legend else [])


def shape_svg(shape: Shape) -> str:
    """One shape as an SVG element."""
    x, y = shape.points[0]
    if shape.kind == "text":
        return (
            f'<text x="{x:.1f}" y="{y:.1f}"'
            + (f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else "")
            + f">{escape(shape.text)}</text>"
        )
    if shape.kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{shape.size:g}" fill="{shape.fill}" stroke="{shape.colour}"/>'
    dash = f' stroke-dasharray="{DASH}"' if shape.dashed else ""
    return (
        f'<polyline fill="none" stroke="{shape.colour}" stroke-width="{shape.width:g}"{dash} points="'
        + " ".join(f"{px:.1f},{py:.1f}" for px, py in shape.points)
        + '"/>'
    )


def chart_svg(shapes: list[Shape], width: float, height: float, title: str) -> str:
    """The shapes as one inline <svg> element labelled (for screen readers and on hover) by title."""
    return (
        f'<svg viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="9" fill="#333">'
        f"<title>{escape(title)}</title>" + "".join(shape_svg(s) for s in shapes) + "</svg>"
    )


def line_chart_svg(
    months: list[date],
    series: list[Series],
    title: str,
    width: float = 300,
    height: float = 170,
    legend: bool = True,
    month_labels: str = "initial",
) -> str:
    """chart_shapes drawn as SVG: the whole chart as one inline element."""
    return chart_svg(chart_shapes(months, series, width, height, legend, month_labels), width, height, title)
