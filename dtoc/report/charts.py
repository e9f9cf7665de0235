"""What every chart shares, written once: the tick algorithm, the tick labels, the palette and the SVG element.

The report's charts (dtoc.report.svg), the line charts of the briefs and monitoring (dtoc.report.line_chart) and
the scenarios page's sweep charts (dtoc.scenarios.page) take their axis ticks and colours from here. The colours of
the attributions and of the bands are the vocabulary's (dtoc.vocabulary: `Attribution.colour`, `Band.colour`,
TOTAL_COLOUR), since they name things in the data; the colours of a chart's other marks are below.
"""

from __future__ import annotations

import math
from html import escape

# the palette of everything that is neither an attribution nor a band
INK = "#333333"  # axes, tick labels, notes
GRID = "#e5e5e5"  # gridlines
BASELINE = "#7f7f7f"  # a baseline figure (grey)
EXPECTED = "#2166ac"  # an expected figure (blue)
COMPARATOR = "#d9822b"  # the glide path, then the expectation, that actual delays are compared with
ENGLAND = "#762a83"  # England as the workbooks publish it
AMBITION = "#1b7837"  # the national ambition, and the band within its tolerance (filled lighter)
TOLERANCE_FILL = "#dff3e4"
MISSED = "#c0392b"  # a month whose figure is above its comparator
MET = "#ffffff"  # a month at or below it (a hollow dot)

STEPS = (1, 2, 2.5, 5, 10)  # a tick step is one of these times a power of ten


def axis_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below `low` to at or above `high`, about `count` steps apart: a step of 1, 2, 2.5
    or 5 times a power of ten. The last tick is never below `high`, so a chart scaled to it has room for its
    highest value; values are rounded to 12 decimals (no 0.30000000000000004)."""
    span = max(high - low, 1e-9)
    magnitude = 10 ** math.floor(math.log10(span / count))
    step = next(m * magnitude for m in STEPS if m * magnitude >= span / count)
    first = math.floor(low / step + 1e-9) * step
    intervals = max(math.ceil((high - first) / step - 1e-9), 1)
    return [round(first + step * i, 12) + 0.0 for i in range(intervals + 1)]


def headroom_ticks(highest: float, count: int = 5, room: float = 0.05) -> list[float]:
    """Ticks from 0 for values up to `highest`, the top tick at least `room` (a fraction) above it."""
    return axis_ticks(0.0, max(highest, 0.0) * (1 + room) or 1.0, count)


def tick_label(value: float) -> str:
    """A tick's value as printed: thousands separated, no trailing zeros ('1,500', '2.5', '0')."""
    return f"{round(value, 9) + 0.0:,.10g}"


def svg_open(width: float, height: float, label: str) -> str:
    """The opening <svg> of an inline chart, labelled (for screen readers and on hover) by `label`."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
    )
