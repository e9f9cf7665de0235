"""report.html's what-if: what its script (templates/whatif.js) needs to recompute every HWB under other
thresholds, embedded in the page as JSON: the six numbers (each under its POLICIES name, nhs_target ... asc_cap,
with Annex 3's value), the attributions and bands in the vocabulary's order, the sensitivity margin, the
ambition, and per HWB its population aged 18+ and, per attribution, its baseline daily delays and rate (full
precision: JSON writes a float's shortest exact text).
"""

from __future__ import annotations

import json

import polars as pl

from dtoc.config import FIELD_WORDS, INPUT_NAMES, POLICY_FIELDS, Config
from dtoc.report import display
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LIST, BANDED, SHORT_PART_LABELS


def policy_inputs(config: Config) -> list[dict]:
    """One input per banded attribution and number: its key in the address, its label and the run's value."""
    return [
        {
            "key": f"{part.short}_{INPUT_NAMES[field]}",
            "attribution": part.short,
            "label": f"{part.label} {FIELD_WORDS[field]}",
            "value": getattr(config.band_policy(part.short), field),
        }
        for part in BANDED
        for field in POLICY_FIELDS
    ]


def whatif_data(table: pl.DataFrame, config: Config) -> dict:
    """Everything the what-if's script reads (see the module docstring)."""
    hwbs = [
        {
            "code": row["hwb_code"],
            "population": row["population_18plus"],
            **{a.short: [row[a.column("baseline", "daily")], row[a.column("baseline", "rate")]] for a in ATTRIBUTIONS},
        }
        for row in table.iter_rows(named=True)
    ]
    return {
        "inputs": policy_inputs(config),
        "banded": [{"short": a.short, "label": a.label} for a in BANDED],
        "held": [{"short": a.short, "label": a.label} for a in ATTRIBUTIONS if not a.banded],
        "order": [a.short for a in ATTRIBUTIONS],
        "bands": [
            {"key": b.key, "label": b.label, "short": b.short_label, "index": i} for i, b in enumerate(BAND_LIST)
        ],
        "margin": config.sensitivity_margin,
        "ambition": config.plan.national_ambition_daily,
        "hwbs": hwbs,
    }


def whatif_json(table: pl.DataFrame, config: Config) -> str:
    """whatif_data as JSON text safe inside a <script> element (no '<' that could close it)."""
    return json.dumps(whatif_data(table, config), separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


def whatif_panel(table: pl.DataFrame, summary: dict, config: Config) -> dict:
    """What the panel shows before anything is changed (the publication's own figures), and the script's data:
    per attribution and the total, England's baseline and expected daily delays; per banded attribution the HWBs
    in each band; the six inputs."""
    totals = summary["national_daily_delays"]
    parts = SHORT_PART_LABELS.items()
    return {
        "inputs": policy_inputs(config),
        "national": [
            {
                "id": f"whatif-{short}",
                "label": label,
                "baseline": display.daily(totals[f"baseline_{short}_daily"]),
                "expected": display.daily(totals[f"expected_{short}_daily"]),
                "value": repr(float(totals[f"expected_{short}_daily"])),
            }
            for short, label in parts
        ],
        "counts": [
            {
                "label": part.label,
                "bands": [
                    {"id": f"whatif-{part.short}-{band.key}", "count": summary[f"{part.short}_bands"][band.key]}
                    for band in BAND_LIST
                ],
            }
            for part in BANDED
        ],
        "bands": BAND_LIST,
        "ambition": config.plan.national_ambition_daily,
        "json": whatif_json(table, config),
    }
