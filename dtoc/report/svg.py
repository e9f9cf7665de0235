"""Inline SVG charts for the report, drawn in Python: no scripts, no fonts or files fetched.

Each function returns one <svg> element as text; coordinates are written with one decimal so the same figures
give the same bytes. Text from the data is escaped.
"""

from __future__ import annotations

from html import escape

from dtoc.report.charts import AMBITION, BASELINE, EXPECTED, GRID, INK, headroom_ticks, svg_open, tick_label
from dtoc.vocabulary import BAND_COLOURS, BAND_LABELS


def y_axis(ticks: list[float], scale, left: float, right: float) -> list[str]:
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick_label(tick)}</text>'
        )
    return parts


def rate_chart(points: list[dict], thresholds: tuple[tuple[str, float], ...], label: str) -> str:
    """Baseline (hollow grey) and expected (filled, coloured by band) rate of every HWB, sorted by baseline
    rate, joined by a line; dashed lines at the thresholds. A point's tooltip names its HWB."""
    width, height, left, right, top, bottom = 1180, 400, 56, 1060, 16, 350
    ticks = headroom_ticks(max([p["baseline"] for p in points] + [t for _, t in thresholds]), 6, 0.04)
    scale = lambda v: bottom - (bottom - top) * v / ticks[-1]  # noqa: E731
    ordered = sorted(points, key=lambda p: (-p["baseline"], p["code"]))
    step = (right - left) / max(len(ordered), 1)
    parts = [svg_open(width, height, label), *y_axis(ticks, scale, left, right)]
    for name, value in thresholds:
        y = scale(value)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{INK}" '
            f'stroke-dasharray="6 4"/><text x="{right + 6:.1f}" y="{y + 4:.1f}" class="note">'
            f"{escape(name)} {value:g}</text>"
        )
    for index, point in enumerate(ordered):
        x, y0, y1 = left + step * (index + 0.5), scale(point["baseline"]), scale(point["expected"])
        colour = BAND_COLOURS.get(point["band"], EXPECTED)
        tip = (
            f"{point['name']} ({point['code']}): baseline {point['baseline']:.2f}, expected "
            f"{point['expected']:.2f} per 100,000 aged 18+; {BAND_LABELS.get(point['band'], point['band'])}"
        )
        parts.append(
            f'<g><title>{escape(tip)}</title><line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1:.1f}" '
            f'stroke="{colour}" stroke-width="1.5"/><circle cx="{x:.1f}" cy="{y0:.1f}" r="3" fill="white" '
            f'stroke="{BASELINE}" stroke-width="1.2"/><circle cx="{x:.1f}" cy="{y1:.1f}" r="3" '
            f'fill="{colour}"/></g>'
        )
    parts.append(
        f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" stroke="{INK}"/>'
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 22:.1f}" text-anchor="middle" class="note">'
        f"{len(ordered)} HWBs, highest baseline rate on the left (point at one for its name)</text>"
        f'<text x="14" y="{(top + bottom) / 2:.1f}" transform="rotate(-90 14 {(top + bottom) / 2:.1f})" '
        'text-anchor="middle" class="note">per 100,000 aged 18+</text>'
    )
    parts += legend(left, height - 14)
    return "".join(parts) + "</svg>"


def legend(x: float, y: float) -> list[str]:
    parts = [
        f'<circle cx="{x + 4:.1f}" cy="{y - 4:.1f}" r="4" fill="white" stroke="{BASELINE}"/>'
        f'<text x="{x + 12:.1f}" y="{y:.1f}" class="note">baseline</text>'
    ]
    x += 80
    for band, colour in BAND_COLOURS.items():
        parts.append(
            f'<circle cx="{x + 4:.1f}" cy="{y - 4:.1f}" r="4" fill="{colour}"/>'
            f'<text x="{x + 12:.1f}" y="{y:.1f}" class="note">expected: {BAND_LABELS[band]}</text>'
        )
        x += 190
    return parts


def band_chart(counts: dict[str, dict[str, int]], label: str) -> str:
    """Horizontal bars: how many HWBs fall in each band, per attribution (NHS, social care)."""
    rows = [(group, band, n) for group, bands in counts.items() for band, n in bands.items()]
    width, left, bar, gap = 620, 250, 20, 8
    height = 20 + len(rows) * (bar + gap) + 12 * len(counts)
    largest = max([n for _, _, n in rows] + [1])
    parts, y, previous = [svg_open(width, height, label)], 10, None
    for group, band, n in rows:
        if group != previous:
            y += 12 if previous else 0
            previous = group
        length = (width - left - 50) * n / largest
        parts.append(
            f'<text x="{left - 8}" y="{y + 15:.1f}" text-anchor="end" class="tick">{escape(group)}: '
            f'{escape(BAND_LABELS.get(band, band))}</text><rect x="{left}" y="{y:.1f}" width="{length:.1f}" height="{bar}" '
            f'fill="{BAND_COLOURS.get(band, EXPECTED)}"/><text x="{left + length + 6:.1f}" '
            f'y="{y + 15:.1f}" class="tick">{n}</text>'
        )
        y += bar + gap
    return "".join(parts) + "</svg>"


def totals_chart(
    totals: list[tuple[str, float, float]], ambition: float | None, label: str, expected_label: str
) -> str:
    """Grouped bars of national daily delays, baseline (grey) and expected (blue); the ambition (where the plan
    states one), a national total, dashed across the last group (the total) only."""
    width, height, left, top, bottom = 560, 320, 56, 16, 280
    ticks = headroom_ticks(max([v for _, b, e in totals for v in (b, e)] + [ambition or 0]), 6, 0.06)
    scale = lambda v: bottom - (bottom - top) * v / ticks[-1]  # noqa: E731
    slot = (width - left - 10) / len(totals)
    parts = [svg_open(width, height, label), *y_axis(ticks, scale, left, width - 10)]
    for index, (name, baseline, expected) in enumerate(totals):
        x = left + slot * index + slot * 0.15
        for offset, (value, colour) in enumerate(((baseline, BASELINE), (expected, EXPECTED))):
            bar_x, bar_y = x + offset * slot * 0.36, scale(value)
            parts.append(
                f'<rect x="{bar_x:.1f}" y="{bar_y:.1f}" width="{slot * 0.34:.1f}" '
                f'height="{bottom - bar_y:.1f}" fill="{colour}"><title>{escape(name)}: '
                f"{'baseline' if offset == 0 else 'expected'} {value:,.1f}</title></rect>"
                f'<text x="{bar_x + slot * 0.17:.1f}" y="{bar_y - 4:.1f}" text-anchor="middle" '
                f'class="tick">{value:,.0f}</text>'
            )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{bottom + 18:.1f}" text-anchor="middle" '
            f'class="tick">{escape(name)}</text>'
        )
    if ambition is not None:
        y, start = scale(ambition), left + slot * (len(totals) - 1)
        parts.append(
            f'<line x1="{start:.1f}" y1="{y:.1f}" x2="{width - 10:.1f}" y2="{y:.1f}" stroke="{AMBITION}" '
            f'stroke-dasharray="6 4"/><text x="{start - 4:.1f}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="note">ambition: around {ambition:,.0f}</text>'
        )
    parts.append(
        f'<rect x="{left}" y="{height - 14}" width="10" height="10" fill="{BASELINE}"/>'
        f'<text x="{left + 14}" y="{height - 5}" class="note">baseline</text>'
        f'<rect x="{left + 90}" y="{height - 14}" width="10" height="10" fill="{EXPECTED}"/>'
        f'<text x="{left + 104}" y="{height - 5}" class="note">{escape(expected_label)}</text>'
    )
    return "".join(parts) + "</svg>"
