"""A line chart's shapes (dtoc.report.line_chart) drawn on a ReportLab canvas, as the SVG pages draw them."""

from __future__ import annotations

import math
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dtoc.report.shapes import DASH, Shape

FONT = "Helvetica"


@lru_cache(maxsize=64)
def colour(hex_code: str) -> Color:
    """A ReportLab colour for '#rrggbb', parsed once."""
    return HexColor(hex_code)


def text_matrix(shape: Shape, left: float, top: float) -> tuple[float, ...]:
    """The PDF text matrix that writes a text shape at its point, anchored and turned as the SVG writes it (the
    page's y runs up, so the SVG's turn of -90 degrees is +90 here)."""
    x, y = left + shape.points[0][0], top - shape.points[0][1]
    turn = math.radians(-shape.rotate)
    cos, sin = round(math.cos(turn), 12) + 0.0, round(math.sin(turn), 12) + 0.0
    offset = {"end": 1.0, "middle": 0.5}.get(shape.anchor, 0.0) * stringWidth(shape.text, FONT, shape.size)
    return (cos, sin, -sin, cos, x - offset * cos, y - offset * sin)


def draw_shapes(canvas: Canvas, shapes: list[Shape], left: float, top: float) -> None:
    """Chart shapes on the canvas (chart y runs down from top): lines and dots, then every label in one text
    object."""
    for shape in shapes:
        points = [(left + x, top - y) for x, y in shape.points]
        canvas.setStrokeColor(colour(shape.colour))
        if shape.kind == "circle":
            canvas.setFillColor(colour(shape.fill or shape.colour))
            canvas.circle(*points[0], shape.size, stroke=1, fill=1)
        elif shape.kind == "line":
            canvas.setLineWidth(shape.width)
            canvas.setDash([float(n) for n in DASH.split()] if shape.dashed else [], 0)
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, stroke=1, fill=0)
    canvas.setDash([], 0)
    canvas.setLineWidth(1)
    text = canvas.beginText()
    for shape in (s for s in shapes if s.kind == "text"):
        text.setFont(FONT, shape.size)
        text.setFillColor(colour(shape.colour))
        text.setTextTransform(*text_matrix(shape, left, top))
        text.textOut(shape.text)
    canvas.drawText(text)
    canvas.setFillColor(colour("#000000"))
    canvas.setStrokeColor(colour("#000000"))
