"""The content of one HWB's summary, as plain rows: one row per attribution and the total, with its band, baseline,
expectation and the reason in words. Pure functions of one `expectations` row and the config; the writers in
dtoc.report.hwb_files lay it out as a workbook, CSV and JSON, and the briefs print it. The Monthly path is the
model's (dtoc.model.glide_path).
"""

from __future__ import annotations

from typing import Any

from dtoc.config import Config
from dtoc.model.glide_path import baseline_total_daily
from dtoc.report import display
from dtoc.vocabulary import ATTRIBUTIONS, JOINT_BAND, TOTAL_LABEL, band_reason

SUMMARY_COLUMNS = (
    "attribution",
    "band",
    "baseline_daily",
    "baseline_rate",
    "expected_daily",
    "expected_rate",
    "reason",
)


def shown_rate(value: float, short: str, config: Config) -> str:
    """A baseline or expected rate of an attribution as displayed: more decimals where it lies within the
    sensitivity margin of one of its band thresholds (dtoc.report.display.rate)."""
    policy = config.policy(short)
    thresholds = (policy.target_rate, policy.upper_rate) if policy else ()
    return display.rate(value, thresholds, config.sensitivity_margin)


def summary_rows(row: dict, config: Config) -> list[dict[str, Any]]:
    """One row per attribution (NHS, social care, joint) and the total: band, baseline, expectation, reason
    (keyed by SUMMARY_COLUMNS)."""
    rows = []
    for part in ATTRIBUTIONS:
        band = row[part.band_column] if part.banded else JOINT_BAND
        figures = {
            f"{stage}_{kind}": row[part.column(stage, kind)]
            for stage in ("baseline", "expected")
            for kind in ("daily", "rate")
        }
        rows.append(
            {
                "attribution": part.long_label,
                "band": band,
                **figures,
                "reason": band_reason(
                    band,
                    figures["baseline_rate"],
                    figures["expected_rate"],
                    config.policy(part.short),
                    shown_rate(figures["baseline_rate"], part.short, config),
                ),
            }
        )
    population = row["population_18plus"]
    baseline, expected = baseline_total_daily(row), row["expected_total_daily"]
    rows.append(
        {
            "attribution": TOTAL_LABEL,
            "band": None,
            "baseline_daily": baseline,
            "baseline_rate": baseline / population * 100000,
            "expected_daily": expected,
            "expected_rate": expected / population * 100000,
            "reason": "The sum of the three attributions.",
        }
    )
    return rows
