"""The short account of a run: areas, band counts and national totals, as data and as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from dtoc.config import Config
from dtoc.report.release import validation_status
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LABELS, BANDED, BANDS, DAILY_COLUMNS, TOTAL_KEY, TOTAL_LABEL


def summarise_expectations(expectations: pl.DataFrame) -> dict[str, Any]:
    """Counts per band and national sums of the daily figures (full precision); the band keys come from the
    vocabulary (nhs_bands, asc_bands)."""
    totals = {c: float(expectations[c].sum()) for c in DAILY_COLUMNS}
    totals["baseline_total_daily"] = sum(totals[a.column("baseline", "daily")] for a in ATTRIBUTIONS)
    return {
        "areas": expectations.height,
        **{f"{a.short}_bands": {b: int((expectations[a.band_column] == b).sum()) for b in BANDS} for a in BANDED},
        "national_daily_delays": totals,
        "band_sensitive_areas": int(expectations["band_sensitive"].is_not_null().sum())
        if "band_sensitive" in expectations.columns
        else 0,
    }


def describe_changes(changes: dict) -> list[str]:
    """What changed since the last publication, in a line or two: '1 HWB changed: Shropshire'."""
    differences = changes.get("differences")
    if differences is None:
        return [line for line in changes.get("input_changes", []) if line != "nothing changed"][:3]
    names = [hwb["hwb_name"] for hwb in differences.get("hwbs_changed", [])]
    added, removed = differences.get("hwbs_added", []), differences.get("hwbs_removed", [])
    if not names and not added and not removed:
        return ["No published figure changed since the last publication"]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    lines = [f"{len(names)} HWB{'s' if len(names) != 1 else ''} changed: {shown}"] if names else []
    lines += [f"HWBs added: {', '.join(added)}"] if added else []
    return lines + ([f"HWBs removed: {', '.join(removed)}"] if removed else [])


def format_run_report(published, config: Config, out_dir: Path, warnings: list[str], choices: list[str]) -> str:
    """What `dtoc run` prints: the summary, the plan, how revisions were chosen, any warning, what changed, the
    validation, where it went."""
    lines = format_summary(published.summary, config.baseline.describe(), out_dir).split("\n")[:-1]
    lines.append(f"Plan {config.plan.describe()}")
    lines += [f"Revisions: {choice}" for choice in choices]
    lines += [f"Warning: {warning}" for warning in warnings]
    lines += describe_changes(published.changes)
    lines.append(validation_status(published.validation))
    lines.append(f"Published to {out_dir} (changes.txt says what changed; run-log.txt lists the notes)")
    return "\n".join(lines)


def format_summary(summary: dict[str, Any], baseline: str, out_dir: Path) -> str:
    totals = summary["national_daily_delays"]
    lines = [f"Baseline {baseline}: {summary['areas']} Health and Wellbeing Boards"]
    lines += [
        f"{a.label + ' bands:':<20}"
        + ", ".join(f"{BAND_LABELS[b]} {n}" for b, n in summary[f"{a.short}_bands"].items())
        for a in BANDED
    ]
    lines.append("National average daily delays   baseline -> expected")
    lines += [
        f"  {label:<12} {totals[f'baseline_{short}_daily']:10,.1f} -> {totals[f'expected_{short}_daily']:10,.1f}"
        for label, short in [(a.label, a.short) for a in ATTRIBUTIONS] + [(TOTAL_LABEL, TOTAL_KEY)]
    ]
    lines.append(f"Published to {out_dir}")
    return "\n".join(lines)
