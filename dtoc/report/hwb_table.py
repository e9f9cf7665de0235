"""report.html's table of every HWB: its header rows and one row per HWB, built from the vocabulary.

Columns: the HWB (ONS code, name as ONS publishes it, region); per banded attribution the baseline daily delays
and rate, the band (its short label, the full wording on hover) and the expected rate and daily delays; the
joint delays' baseline (held: the expectation is the baseline); the totals; the HWB's brief and files. Every
figure cell carries its full-precision value (`data-sort`, which the table's script sorts by and report.html's
what-if rewrites), and each cell its column's machine name (`data-key`).
"""

from __future__ import annotations

from dtoc.config import Config
from dtoc.model.glide_path import baseline_total_daily
from dtoc.report import display
from dtoc.report.brief_content import FILE_LINKS
from dtoc.report.hwb_content import shown_rate
from dtoc.report.hwb_files import hwb_file_stem
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS, TOTAL_LABEL, band_of

HELD = tuple(a for a in ATTRIBUTIONS if not a.banded)
IDENTITY = (("hwb_code", "ONS code"), ("hwb_name", "Name"), ("region", "Region"))


def cell(text: str, key: str = "", colspan: int = 1, rowspan: int = 1, title: str = "") -> dict:
    """A header cell; `key` names the column it heads (then it is sortable), else it groups columns."""
    numeric = bool(key) and key not in dict(IDENTITY) and not key.endswith("_band")
    return {"text": text, "key": key, "colspan": colspan, "rowspan": rowspan, "title": title, "numeric": numeric}


def header_rows() -> list[list[dict]]:
    """Three header rows: the attribution, the stage (baseline, band, expected), the kind (daily, rate)."""
    top = [cell("Health and Wellbeing Board", colspan=3)]
    middle = [cell(text, key, rowspan=2) for key, text in IDENTITY]
    bottom: list[dict] = []
    for part in BANDED:
        top.append(cell(part.label, colspan=5))
        middle += [cell("Baseline", colspan=2), cell("Band", part.band_column, rowspan=2), cell("Expected", colspan=2)]
        bottom += [cell(kind, part.column("baseline", kind)) for kind in ("daily", "rate")]
        bottom += [cell(kind, part.column("expected", kind)) for kind in ("rate", "daily")]
    for part in HELD:
        top.append(cell(part.label, colspan=2, title=f"{part.long_label}: held at the baseline (expected = baseline)"))
        middle.append(cell("Baseline, held", colspan=2))
        bottom += [cell(kind, part.column("baseline", kind)) for kind in ("daily", "rate")]
    top += [cell(TOTAL_LABEL, colspan=2), cell("Brief and files", rowspan=3)]
    middle += [cell("Baseline"), cell("Expected")]
    bottom += [cell("daily", "baseline_total_daily"), cell("daily", "expected_total_daily")]
    for sortable in (c for c in middle + bottom if c["key"]):
        sortable["column"] = column_keys().index(sortable["key"])
    return [top, middle, bottom]


def column_keys() -> list[str]:
    """The machine name of every column but the last (the files), in the table's order."""
    keys = [key for key, _ in IDENTITY]
    for part in BANDED:
        keys += [part.column("baseline", "daily"), part.column("baseline", "rate"), part.band_column]
        keys += [part.column("expected", "rate"), part.column("expected", "daily")]
    for part in HELD:
        keys += [part.column("baseline", "daily"), part.column("baseline", "rate")]
    return [*keys, "baseline_total_daily", "expected_total_daily"]


def figure(key: str, value: float, shown: str) -> dict:
    """A figure's cell: as displayed, and its full-precision value (what the table sorts by)."""
    return {"key": key, "text": shown, "value": repr(float(value)), "sort": None, "numeric": True, "title": ""}


def band_cell(key: str, band: str) -> dict:
    """A band's cell: its short label, the full wording on hover, sorted in the vocabulary's order."""
    named = band_of(band)
    return {
        "key": key,
        "text": named.short_label,
        "value": band,
        "sort": str(BANDS.index(band)),
        "numeric": False,
        "title": named.label,
    }


def hwb_row(row: dict, region: str, name: str, config: Config) -> dict:
    """One HWB's line (`name` as ONS publishes it; the workbooks' name is searchable too)."""
    cells = []
    for part in (*BANDED, *HELD):
        stages = ("baseline", "expected") if part.banded else ("baseline",)
        for stage in stages:
            kinds = ("daily", "rate") if stage == "baseline" else ("rate", "daily")
            for kind in kinds:
                key, value = part.column(stage, kind), row[part.column(stage, kind)]
                shown = display.daily(value) if kind == "daily" else shown_rate(value, part.short, config)
                cells.append(figure(key, value, shown))
            if part.banded and stage == "baseline":
                cells.append(band_cell(part.band_column, row[part.band_column]))
    baseline, stem = baseline_total_daily(row), hwb_file_stem(row["hwb_code"], row["hwb_name"])
    cells += [
        figure("baseline_total_daily", baseline, display.daily(baseline)),
        figure("expected_total_daily", row["expected_total_daily"], display.daily(row["expected_total_daily"])),
    ]
    return {
        "code": row["hwb_code"],
        "name": name,
        "search": " ".join(dict.fromkeys((row["hwb_code"], name, row["hwb_name"]))).lower(),
        "region": region,
        "sensitive": row.get("band_sensitive"),
        "bands": {a.short: row[a.band_column] for a in BANDED},
        "cells": cells,
        "brief": f"hwb/{stem}.html",
        "files": [(short, label, f"hwb/{stem}{suffix}") for label, short, suffix in FILE_LINKS],
    }
