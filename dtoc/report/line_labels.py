"""The words around a line chart: its key (a short line and the label of each series, wrapped into rows) and
each line's label at its last value, moved apart where lines end close together (so that lines that coincide,
such as a social care line of 1.1 and a joint line of 1.0, stay readable)."""

from __future__ import annotations

import math

from dtoc.report.shapes import Series, Shape

LABEL_SIZE = 9.0
CHARACTER_WIDTH = 0.56  # of the font size: a generous average for Helvetica's letters and digits


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


def end_label_width(series: list[Series]) -> float:
    """The room the end labels take right of the plot."""
    longest = max((len(s.end_label) for s in series), default=0)
    return longest * LABEL_SIZE * CHARACTER_WIDTH + 6 if longest else 0.0


def spread(wanted: list[float], low: float, high: float, gap: float) -> list[float]:
    """Positions as near the wanted ones (sorted ascending) as they can be, in the same order, at least `gap` apart
    and within low..high where there is room."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(max(y, low), placed[-1] + gap) if placed else max(y, low))
    for index in range(len(placed) - 1, -1, -1):
        placed[index] = min(placed[index], high if index == len(placed) - 1 else placed[index + 1] - gap)
    return placed


def end_label_shapes(series: list[Series], x: float, y_of, limits: tuple[float, float]) -> list[Shape]:
    """Each labelled series' end label, in its colour, at the height of its last value, moved apart as needed."""
    ends = []
    for item in series:
        last = next((v for v in reversed(item.values) if v is not None), None)
        if item.end_label and last is not None:
            ends.append((y_of(last), item))
    ends.sort(key=lambda end: end[0])
    heights = spread([y for y, _ in ends], limits[0] + LABEL_SIZE / 2, limits[1], LABEL_SIZE + 1)
    return [
        Shape("text", ((x, y + LABEL_SIZE * 0.35),), item.colour, text=item.end_label, size=LABEL_SIZE)
        for y, (_, item) in zip(heights, ends, strict=True)
    ]
