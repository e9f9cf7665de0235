"""The line charts' model: a `Series` is one line over the month slots, a `Shape` one drawing instruction (a line
through points, a text, a dot) that the SVG pages (dtoc.report.line_chart) and the PDF briefs
(dtoc.report.pdf_chart) both draw. Coordinates have the origin at the top left, y down."""

from __future__ import annotations

from dataclasses import dataclass

from dtoc.report.charts import INK

DASH = "4 3"


@dataclass(frozen=True)
class Series:
    """One line: a label for the legend, one value per month slot (None = no figure), colour and dash; `end_label`
    (if any) is written at its last value."""

    label: str
    values: list[float | None]
    colour: str
    dashed: bool = False
    marks: list[bool | None] | None = None  # per slot: True met (hollow dot), False missed (red dot), None none
    width: float = 1.6
    end_label: str = ""


@dataclass(frozen=True)
class Shape:
    """One drawing instruction: 'line' through points, 'text' at points[0] (turned by `rotate` degrees, clockwise
    on the page), or 'circle' at points[0]."""

    kind: str
    points: tuple[tuple[float, float], ...]
    colour: str = INK
    width: float = 1.0
    dashed: bool = False
    text: str = ""
    anchor: str = "start"
    size: float = 9.0
    fill: str | None = None
    rotate: float = 0.0
