"""`dtoc diff` (and a run's changes.txt) as text for a person; `--format json` keeps every figure and cell at
full precision (dtoc.audit.diff).

First the headline counts and warnings (dtoc.audit.diff_summary); then one line per HWB whose published figures
changed, rounded as the pages print them (dtoc.report.display), the HWBs whose band changed first, then the
largest changes in the expected total; a figure whose change does not show at that precision is left out, and
an HWB with no change that shows is counted. Then the input cells that changed, each written the one way
(dtoc.vocabulary.cell_reference); the cells of areas that are no HWB are counted, not listed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dtoc.audit.diff_records import Diff, HwbChange, SourceCells
from dtoc.audit.diff_summary import format_headline
from dtoc.periods import month_label
from dtoc.report import display
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LABELS, BANDED, BY_KEY, TOTAL_KEY, cell_reference

NO_HWB = "--format json lists them"


def in_sentence(label: str) -> str:
    """'Social care' -> 'social care' inside a line; 'NHS' stays."""
    return label if label.isupper() else label[0].lower() + label[1:]


PARTS = [(a.short, in_sentence(a.label)) for a in ATTRIBUTIONS]
# (words, [(column, part)], how a figure is printed), in the order a line gives them after the bands
GROUPS: list[tuple[str, list[tuple[str, str]], Callable[[Any], str]]] = [
    ("population 18+", [("population_18plus", "")], display.whole),
    ("baseline daily", [(f"baseline_{short}_daily", label) for short, label in PARTS], display.daily),
    ("baseline rate", [(f"baseline_{short}_rate", label) for short, label in PARTS], display.rate),
    ("expected rate", [(f"expected_{short}_rate", label) for short, label in PARTS], display.rate),
    (
        "expected daily",
        [*((f"expected_{short}_daily", label) for short, label in PARTS), ("expected_total_daily", TOTAL_KEY)],
        display.daily,
    ),
]


def shown_change(old: object, new: object, shown: Callable) -> str | None:
    """'72,819 -> 72,969 (+150)', '13.46 -> 13.44'; None when both print the same."""
    if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
        return None if old == new else f"{old} -> {new}"
    before, after = shown(old), shown(new)
    if before == after:
        return None
    return f"{before} -> {after}" + (f" ({new - old:+,})" if isinstance(old, int) and isinstance(new, int) else "")


def hwb_line(hwb: HwbChange) -> str | None:
    """The HWB's changes that show when rounded as published, in one line; None if none shows."""
    figures = {f["figure"]: f for f in hwb["figures"]}
    parts = [
        f"{in_sentence(a.label)} band {BAND_LABELS[figures[a.band_column]['old']]} -> "
        f"{BAND_LABELS[figures[a.band_column]['new']]}"
        for a in BANDED
        if a.band_column in figures
    ]
    for words, columns, shown in GROUPS:
        changes = []
        for column, part in columns:
            text = shown_change(figures[column]["old"], figures[column]["new"], shown) if column in figures else None
            changes += [f"{part} {text}".strip()] if text else []
        parts += [f"{words}: {', '.join(changes)}" if columns[0][1] else f"{words} {changes[0]}"] if changes else []
    return f"{hwb['hwb_name']} ({hwb['hwb_code']}): " + "; ".join(parts) if parts else None


def hwb_order(hwb: HwbChange) -> tuple:
    """Band changes first, then the largest change of the expected total, then the code."""
    figures = {f["figure"]: f for f in hwb["figures"]}
    banded = any(a.band_column in figures for a in BANDED)
    total = figures["expected_total_daily"]["change"] if "expected_total_daily" in figures else None
    return (not banded, -abs(total or 0.0), hwb["hwb_code"])


def hwb_lines(changes: list[HwbChange]) -> list[str]:
    if not changes:
        return []
    ordered = sorted(changes, key=hwb_order)
    shown = [line for line in (hwb_line(hwb) for hwb in ordered) if line]
    lines = ["", f"HWB-level changes ({len(changes)} HWBs; figures rounded as published, band changes first):"]
    lines += [f"  {line}" for line in shown]
    hidden = [f"{h['hwb_name']} ({h['hwb_code']})" for h in ordered if not hwb_line(h)]
    if hidden:
        lines.append(f"  {len(hidden)} HWB(s) changed only below the published precision: {', '.join(hidden)}")
    return lines


def moved(old: str, new: str) -> str:
    """A cell reference, or 'old -> new' when the cell moved (another file, sheet or place)."""
    return new if old == new else f"{old} -> {new}"


def delay_line(cell: dict) -> str:
    month = month_label(date.fromisoformat(cell["month"][:10]))
    values = [f"{v:,}" if isinstance(v, int) else "-" for v in (cell["old_value"], cell["new_value"])]
    refs = moved(
        cell_reference(cell["old_file"], cell["old_sheet"], cell["old_cell_ref"]),
        cell_reference(cell["new_file"], cell["sheet"], cell["cell_ref"]),
    )
    attribution = (
        in_sentence(BY_KEY[cell["attribution"]].label) if cell["attribution"] in BY_KEY else cell["attribution"]
    )
    return f"  {month}, {cell['area_name']} ({cell['area']}), {attribution}: {values[0]} -> {values[1]}, {refs}"


def population_line(cell: dict) -> str:
    refs = moved(
        cell_reference(cell["old_file"], cell["old_sheet"], cell["old_cell_ref"]),
        cell_reference(cell["new_file"], cell["sheet"], cell["cell_ref"]),
    )
    return f"  {cell['area_name']} ({cell['area']}): {cell['old_value']:,} -> {cell['new_value']:,}, {refs}"


def cell_lines(cells: SourceCells) -> list[str]:
    """The input cells that changed: those of HWBs listed, the others counted."""
    lines = [f"  {note}" for note in cells.get("note", [])]
    for changed, words, line, others in (
        (cells.get("delays", []), "Delayed days", delay_line, "rows that are no HWB (England, the non-England rows)"),
        (cells.get("population", []), "Population aged 18+", population_line, "areas that are no HWB (districts, ...)"),
    ):
        listed = [cell for cell in changed if cell.get("hwb_code")]
        if changed:
            lines.append(f"{words}: {len(changed)} cell(s), {len(listed)} of HWBs:")
            lines += [line(cell) for cell in listed]
        if len(changed) > len(listed):
            lines.append(f"  and {len(changed) - len(listed)} cell(s) of {others}, not listed: {NO_HWB}")
    return ["", "Input cells that changed:", *lines] if lines else []


def format_diff(diff: Diff) -> str:
    """Headline and warnings, HWBs added or removed, the HWB-level changes, then the input cells."""
    lines = [f"Changes from {diff['old']} to {diff['new']}", *format_headline(diff["headline"], diff["warnings"])]
    heading = len(lines)
    for codes, label in ((diff["hwbs_added"], "HWBs added"), (diff["hwbs_removed"], "HWBs removed")):
        if codes:
            lines.append(f"{label}: {', '.join(codes)}")
    lines += hwb_lines(diff["hwbs_changed"]) + cell_lines(diff["source_cells_changed"])
    if len(lines) == heading:
        lines.append("no differences in the published figures or source cells")
    return "\n".join(lines)
