"""Render an explanation (dtoc.audit.explain.explain_hwb) as text for a person."""

from __future__ import annotations

from datetime import date

from dtoc.periods import month_label
from dtoc.vocabulary import BAND_LABELS, BY_KEY, cell_reference

SOURCES_FILE = "dtoc/reference/sources.csv"


def format_population(population: dict) -> list[str]:
    lines = [
        f"Population aged 18+: {population['population_18plus']:,} ({population['vintage']})",
        f"  why {population.get('vintage_reason', population['vintage'])}",
    ]
    for cell in population["cells"]:
        why = f" - {cell['lookup_reason']}" if cell.get("lookup_reason") else ""
        lines.append(
            f"  {cell['population_area']}: {cell['value']:,}  "
            f"{cell_reference(cell['source_file'], cell['sheet'], cell['cells_summed'])} (ages 18 to 90+ summed){why}"
        )
    return lines


def format_cell(cell: dict) -> list[str]:
    """A delay cell and, below it, what proves which cell it is: its row's area name and its column's header."""
    value = "-  (not reported, counted as 0)" if cell["not_reported"] else f"{cell['value']:,}"
    lines = [
        f"  {month_label(date.fromisoformat(cell['month'])):<15} {value:>8}  "
        f"{cell_reference(cell['source_file'], cell['sheet'], cell['cell_ref'])} (revised {cell['revised']})"
    ]
    if cell.get("header_ref"):
        lines.append(
            f"  {'':<15} {'':>8}  = row of {cell['name_ref']} '{cell['area_name']}', column of "
            f"{cell['header_ref']} '{cell['header_text']}'"
        )
    return lines


def format_attribution(key: str, part: dict, population: int) -> list[str]:
    short = BY_KEY[key].short
    lines = [f"{part['label'][0].upper()}{part['label'][1:]} delays:"]
    for cell in part["cells"]:
        lines += format_cell(cell)
    daily, rate = part[f"baseline_{short}_daily"], part[f"baseline_{short}_rate"]
    lines += [
        f"  sum {part['delayed_days_sum']:,} delayed days / {part['days_in_quarter']} days = {daily:.6f} daily",
        f"  rate = {daily:.6f} / {population:,} x 100,000 = {rate:.6f} per 100,000 aged 18+",
        *([f"  rule: {part['rule']}"] if part.get("rule") else []),
        f"  band: {BAND_LABELS[part['band']]} ({part['band_reason']})",
        f"  expected rate {part[f'expected_{short}_rate']:.6f}; expected daily delays "
        f"{part[f'expected_{short}_daily']:.6f}",
    ]
    return lines


def format_sources(sources: list[dict]) -> list[str]:
    return ["Sources:"] + [
        f"  {s['file']}: {s['url'] or f'no official URL known (not in {SOURCES_FILE})'}" for s in sources
    ]


def format_explanation(explanation: dict) -> str:
    """The derivation of one HWB's row (or of one figure, when narrowed with a metric)."""
    region = f", {explanation['region']}" if explanation.get("region") else ""
    lines = [
        f"{explanation['hwb_name']} ({explanation['hwb_code']}{region}), baseline "
        f"{explanation['baseline_quarter']}: {explanation['days_in_quarter']} days"
    ]
    if explanation.get("found"):
        lines.append(f"Found: {explanation['found']}")
    if "metric" in explanation:
        lines.append(f"{explanation['metric']} = {explanation['value']}  ({explanation['formula']})")
    lines += format_population(explanation["population"])
    population = explanation["population"]["population_18plus"]
    if "attributions" in explanation:
        parts = explanation["attributions"]
    else:
        parts = {explanation["attribution"]["key"]: explanation["attribution"]} if "attribution" in explanation else {}
    for key, part in parts.items():
        lines += format_attribution(key, part, population)
    if "parts" in explanation:
        lines += [f"  {name} = {value:.6f}" for name, value in explanation["parts"].items()]
    if "expected_total_daily" in explanation:
        lines.append(
            f"Expected total daily delays: {explanation['expected_total_daily']:.6f} "
            f"(target date {explanation['target_date']})"
        )
        if explanation.get("band_sensitive"):
            lines.append(
                f"Sensitive: the {explanation['band_sensitive']} baseline rate lies within "
                f"{explanation['sensitivity_margin']} of a band threshold; a small revision could "
                "change the band"
            )
    if explanation.get("sources"):
        lines += format_sources(explanation["sources"])
    return "\n".join(lines)
