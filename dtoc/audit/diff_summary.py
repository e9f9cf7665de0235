"""The head of `dtoc diff`: counts a reader takes in first, and warnings when two publications are not revisions
of the same computation (another baseline quarter, other parameters).

The parameters of a publication are its database's `run_parameters` (dtoc.duckdb), else its manifest.json's
`parameters`; a publication with neither is reported as unknown rather than assumed equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from dtoc.audit.diff_records import Headline, HwbChange
from dtoc.publish.output_folders import read_manifest
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LABELS, BANDED

DERIVED_FROM_QUARTER = ("baseline_quarter", "baseline_months", "days_in_quarter")
# what a plan derived from the baseline quarter (dtoc.plan.derive_plan) sets, and the reason a vintage is used for it
DERIVED_PLAN = ("target_date", "national_ambition_daily", "population_vintage_reason")


def read_run_parameters(folder: Path) -> dict | None:
    """The parameters a publication was computed with, or None if it does not record them."""
    database = folder / "dtoc.duckdb"
    if database.is_file():
        try:
            with duckdb.connect(str(database), read_only=True) as connection:
                return json.loads(
                    connection.execute("select value from run_parameters where name = 'config'").fetchall()[0][0]
                )
        except (duckdb.Error, IndexError, ValueError):
            pass
    return (read_manifest(folder) or {}).get("parameters")


def flatten(parameters: dict, prefix: str = "") -> dict[str, object]:
    """{'nhs': {'target_rate': 5.5}} -> {'nhs.target_rate': 5.5}."""
    flat: dict[str, object] = {}
    for key, value in parameters.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def parameter_warnings(old_dir: Path, new_dir: Path) -> list[str]:
    """One sentence per way the two publications' computations differ (none for revisions of the same one)."""
    old, new = read_run_parameters(old_dir), read_run_parameters(new_dir)
    if old is None or new is None:
        unknown = [str(folder) for folder, found in ((old_dir, old), (new_dir, new)) if found is None]
        return [
            f"the parameters of {' and '.join(unknown)} are not recorded (no dtoc.duckdb or manifest.json "
            "parameters): the figures may not be comparable"
        ]
    warnings = []
    if old.get("baseline_quarter") != new.get("baseline_quarter"):
        warnings.append(
            f"the baseline quarters differ ({old.get('baseline_quarter')} -> "
            f"{new.get('baseline_quarter')}): the publications are not revisions of one another"
        )
    old_flat, new_flat = flatten(old), flatten(new)
    ignored = set(DERIVED_FROM_QUARTER)
    if warnings and any(flat.get("plan.derived_from_baseline") for flat in (old_flat, new_flat)):
        ignored |= set(DERIVED_PLAN) | {key for key in old_flat.keys() | new_flat.keys() if key.startswith("plan.")}
        if old_flat.get("plan.year") != new_flat.get("plan.year"):
            warnings.append(f"the plan years differ ({old_flat.get('plan.year')} -> {new_flat.get('plan.year')})")
    changed = [
        f"{key} {old_flat.get(key)} -> {new_flat.get(key)}"
        for key in sorted(old_flat.keys() | new_flat.keys())
        if key not in ignored and old_flat.get(key) != new_flat.get(key)
    ]
    if changed:
        warnings.append("the publications were computed with different parameters: " + "; ".join(changed))
    return warnings


def vintage_warnings(old: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    """A sentence when the two publications use other population estimates (every rate then moves)."""
    before, after = (sorted(set(table["population_vintage"].to_list())) for table in (old, new))
    if before == after:
        return []
    return [
        f"the population estimates differ ({', '.join(before)} -> {', '.join(after)}): every rate moves with "
        "the population, so the changes below are not only revisions of the delays"
    ]


def band_change_lines(changes: list[HwbChange]) -> list[str]:
    """'Shropshire (E06000051): social care Keep the rate -> Reduce to the target', one per band that changed."""
    labels = {a.band_column: a.phrase for a in BANDED}
    return [
        f"{hwb['hwb_name']} ({hwb['hwb_code']}): {labels[f['figure']]} {BAND_LABELS[f['old']]} -> {BAND_LABELS[f['new']]}"
        for hwb in changes
        for f in hwb["figures"]
        if f["figure"] in labels
    ]


def national_totals(table: pl.DataFrame) -> dict[str, float]:
    """Sums over the publication's HWBs: baseline and expected daily delays per attribution and in total."""
    totals = {
        a.column(stage, "daily"): float(table[a.column(stage, "daily")].sum())
        for stage in ("baseline", "expected")
        for a in ATTRIBUTIONS
    }
    totals["baseline_total_daily"] = sum(totals[a.column("baseline", "daily")] for a in ATTRIBUTIONS)
    totals["expected_total_daily"] = float(table["expected_total_daily"].sum())
    return totals


def headline(old: pl.DataFrame, new: pl.DataFrame, changes: list[HwbChange]) -> Headline:
    """HWBs compared, changed, added and removed; band changes per banded attribution; national totals."""
    old_codes, new_codes = set(old["hwb_code"]), set(new["hwb_code"])
    bands = {a.band_column: 0 for a in BANDED}
    for hwb in changes:
        for figure in hwb["figures"]:
            if figure["figure"] in bands:
                bands[figure["figure"]] += 1
    before, after = national_totals(old), national_totals(new)
    return {
        "hwbs_in_both": len(old_codes & new_codes),
        "hwbs_changed": len(changes),
        "hwbs_added": len(new_codes - old_codes),
        "hwbs_removed": len(old_codes - new_codes),
        "band_changes": bands,
        "band_change_lines": band_change_lines(changes),
        "national": {
            name: {"old": before[name], "new": after[name], "change": after[name] - before[name]} for name in before
        },
    }


def format_headline(summary: Headline, warnings: list[str]) -> list[str]:
    """The first lines of the text report."""
    labels = {a.band_column: a.phrase for a in BANDED}
    national = summary["national"]
    lines = [
        f"HWBs: {summary['hwbs_in_both']} in both, {summary['hwbs_changed']} changed, "
        f"{summary['hwbs_added']} added, {summary['hwbs_removed']} removed",
        "Band changes: " + ", ".join(f"{labels[b]} {n}" for b, n in summary["band_changes"].items()),
    ]
    for name, words in (("baseline_total_daily", "baseline"), ("expected_total_daily", "expected")):
        total = national[name]
        lines.append(
            f"National {words} daily delays (sum of the HWBs): {total['old']:,.1f} -> {total['new']:,.1f} "
            f"({total['change']:+,.1f})"
        )
    return lines + [f"warning: {w}" for w in warnings]
