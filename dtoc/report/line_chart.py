"""Line charts over the months of a year, as drawing instructions (`Shape`s) that two writers render: inline SVG
for the HTML pages (`chart_svg`) and ReportLab for the PDF briefs (dtoc.report.pdf_chart), so both show one chart.

A chart has one slot per month; a series' value is None where a month has no figure, which leaves a gap in its
line (a missing month is shown as missing, not drawn through). The y axis runs from 0 to the first round tick
above the highest value (dtoc.report.charts), so every line has room under the top; it may carry a title with
its unit, and each line a label at its last value (dtoc.report.line_labels). Coordinates have the origin at the
top left, y down, and are written with one decimal so the same figures give the same bytes. No scripts, fonts or
namespace URL: the SVG is meant to be inlined in a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from dtoc.report.charts import GRID, INK, MET, MISSED, headroom_ticks, tick_label
from dtoc.report.line_labels import end_label_shapes, end_label_width, legend_height, legend_shapes
from dtoc.report.shapes import DASH, Series, Shape

MONTH_INITIALS = "JFMAMJJASOND"
TICKS = 4  # about four steps up the y axis


@dataclass(frozen=True)
class Frame:
    """A chart's size and furniture: the key below it, month labels ('initial' J F M, or 'short' Jan Feb), the
    y axis's title with its unit (none when empty), and the lines' end labels."""

    width: float
    height: float
    legend: bool = True
    month_labels: str = "initial"
    axis_title: str = ""
    end_labels: bool = False


def scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return start + (value - low) / (high - low) * (end - start) if high > low else (start + end) / 2


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
            shapes.append(Shape("circle", (point,), series.colour, 1.0, size=2.4, fill=MET if mark else MISSED))
    return shapes


def axis_shapes(frame: Frame, ticks: list[float], left: float, right: float, y_of) -> list[Shape]:
    """Gridlines and tick labels at each tick, and the axis title up the left side (if any)."""
    shapes = []
    for tick in ticks:
        y = y_of(tick)
        shapes += [
            Shape("line", ((left, y), (right, y)), GRID),
            Shape("text", ((left - 3, y + 3),), INK, text=tick_label(tick), anchor="end"),
        ]
    if frame.axis_title:
        middle = (y_of(ticks[0]) + y_of(ticks[-1])) / 2
        shapes.append(Shape("text", ((9, middle),), INK, text=frame.axis_title, anchor="middle", rotate=-90))
    return shapes


def chart_shapes(months: list[date], series: list[Series], frame: Frame) -> list[Shape]:
    """The chart of the series over the months (x) from 0 to the top tick (y), with its key below."""
    left, top = 50 if frame.axis_title else 38, 8
    right = frame.width - 8 - (end_label_width(series) if frame.end_labels else 0)
    bottom = frame.height - 18 - (legend_height(len(series), left, frame.width) + 4 if frame.legend else 0)
    ticks = headroom_ticks(max([v for s in series for v in s.values if v is not None] + [0.0]), TICKS)
    xs = [scale(i, 0, max(len(months) - 1, 1), left, right) for i in range(len(months))]
    y_of = lambda v: scale(v, ticks[0], ticks[-1], bottom, top)  # noqa: E731 - a local scale
    shapes = axis_shapes(frame, ticks, left, right, y_of)
    for x, month in zip(xs, months, strict=True):
        label = MONTH_INITIALS[month.month - 1] if frame.month_labels == "initial" else f"{month:%b}"
        shapes.append(Shape("text", ((x, bottom + 11),), INK, text=label, anchor="middle"))
    for item in series:
        shapes += series_shapes(item, xs, y_of)
    if frame.end_labels:
        shapes += end_label_shapes(series, right + 4, y_of, (top, bottom))
    return shapes + (legend_shapes(series, left, frame.width, bottom + 26) if frame.legend else [])


def shape_svg(shape: Shape) -> str:
    """One shape as an SVG element."""
    x, y = shape.points[0]
    if shape.kind == "text":
        return (
            f'<text x="{x:.1f}" y="{y:.1f}"'
            + (f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else "")
            + (f' fill="{shape.colour}"' if shape.colour != INK else "")
            + (f' transform="rotate({shape.rotate:g} {x:.1f} {y:.1f})"' if shape.rotate else "")
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
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="9" fill="{INK}">'
        f"<title>{escape(title)}</title>" + "".join(shape_svg(s) for s in shapes) + "</svg>"
    )


def line_chart_svg(months: list[date], series: list[Series], title: str, frame: Frame) -> str:
    """chart_shapes drawn as SVG: the whole chart as one inline element."""
    return chart_svg(chart_shapes(months, series, frame), frame.width, frame.height, title)
