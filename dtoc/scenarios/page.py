"""scenarios.html: the sweep on one offline page (Jinja2 template, inline SVG charts, nothing fetched).

The page answers the question (policies near the ambition, ranked), then draws one chart per swept parameter:
for each value (or bin of values), a vertical line from the lowest to the highest national expected total of
the policies with that value and a dot at their median, against the ambition and its tolerance band.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from dtoc.report.charts import AMBITION, BASELINE, EXPECTED, GRID, TOLERANCE_FILL, axis_ticks, svg_open, tick_label
from dtoc.report.pages import write_page
from dtoc.scenarios.answer import Naming, annex3_lines, describe_policy
from dtoc.scenarios.findings import Findings, Question

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 300, 64, 548, 16, 250


def x_positions(points: list[dict]) -> tuple[list[float], list[tuple[float, str]]]:
    """Each point's x, and the labelled ticks: numeric values to scale, other values evenly spaced."""
    values = [p["value"] for p in points]
    if all(isinstance(v, (int, float)) for v in values) and len(values) > 1:
        low, high = min(values), max(values)
        scale = lambda v: LEFT + 20 + (RIGHT - LEFT - 40) * (v - low) / ((high - low) or 1)  # noqa: E731
        ticks = [t for t in axis_ticks(low, high) if low - 1e-9 <= t <= high + 1e-9]
        return [scale(v) for v in values], [(scale(t), tick_label(t)) for t in ticks]
    step = (RIGHT - LEFT) / max(len(values), 1)
    xs = [LEFT + step * (i + 0.5) for i in range(len(values))]
    return xs, [(x, str(v)) for x, v in zip(xs, values, strict=True)]


def sweep_chart(series: dict, question: Question) -> str:
    """The national expected total (lowest, median, highest) against one swept parameter."""
    points = series["points"]
    low = min([p["low"] for p in points] + [question.ambition - question.tolerance])
    high = max([p["high"] for p in points] + [question.ambition + question.tolerance])
    ticks = axis_ticks(low, high)
    scale = lambda v: BOTTOM - (BOTTOM - TOP) * (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1)  # noqa: E731
    label = f"National expected daily delays by {series['label']}"
    parts = [svg_open(WIDTH, HEIGHT, label)]
    band_top, band_bottom = scale(question.ambition + question.tolerance), scale(question.ambition - question.tolerance)
    parts.append(
        f'<rect x="{LEFT}" y="{band_top:.1f}" width="{RIGHT - LEFT}" height="{band_bottom - band_top:.1f}" '
        f'fill="{TOLERANCE_FILL}"/>'
    )
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{scale(tick):.1f}" x2="{RIGHT}" y2="{scale(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{scale(tick) + 4:.1f}" text-anchor="end" class="tick">{tick_label(tick)}</text>'
        )
    y = scale(question.ambition)
    parts.append(
        f'<line x1="{LEFT}" y1="{y:.1f}" x2="{RIGHT}" y2="{y:.1f}" stroke="{AMBITION}" stroke-dasharray="6 4"/>'
    )
    xs, x_ticks = x_positions(points)
    for x, point in zip(xs, points, strict=True):
        tip = (
            f"{series['label']} {point['value']}: {point['policies']:,} policies, national total "
            f"{point['low']:,.1f} to {point['high']:,.1f} (median {point['median']:,.1f})"
        )
        parts.append(
            f'<g><title>{escape(tip)}</title><line x1="{x:.1f}" y1="{scale(point["low"]):.1f}" x2="{x:.1f}" '
            f'y2="{scale(point["high"]):.1f}" stroke="{BASELINE}" stroke-width="2"/><circle '
            f'cx="{x:.1f}" cy="{scale(point["median"]):.1f}" r="3" fill="{EXPECTED}"/></g>'
        )
    for x, text in x_ticks:
        parts.append(f'<text x="{x:.1f}" y="{BOTTOM + 16}" text-anchor="middle" class="tick">{escape(text)}</text>')
    parts.append(
        f'<text x="{(LEFT + RIGHT) / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" class="note">'
        f"{escape(series['label'])}</text>"
    )
    return "".join(parts) + "</svg>"


def write_scenarios_page(
    path: Path,
    findings: Findings,
    series: list[dict],
    question: Question,
    answer: list[str],
    facts: dict,
    naming: Naming,
) -> Path:
    """scenarios.html from templates/scenarios.html.j2: the best policies near the ambition (or the closest),
    each shown once with Annex 3's marked, and where Annex 3's policy stands if it is not among them."""
    charts = [{"label": s["label"], "svg": sweep_chart(s, question)} for s in series]
    return write_page(
        path,
        "scenarios.html.j2",
        answer=answer,
        question=question.describe(),
        facts=facts,
        ranked=[{**row, "description": describe_policy(row, naming)} for row in findings.best],
        ranked_count=findings.ranked,
        annex3=annex3_lines(findings, len(findings.best), naming),
        policies=findings.policies,
        charts=charts,
        ambition=question.ambition,
        tolerance=question.tolerance,
    )
