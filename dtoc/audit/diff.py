"""Compare two publications, as data (the JSON of `dtoc diff`, at full precision): headline counts and warnings
(dtoc.audit.diff_summary), per HWB which figures changed and by how much, and which source cells changed, each
with the HWB its area is (null for areas that are no HWB). dtoc.report.diff_text writes it for a person."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import polars as pl

from dtoc.audit.diff_records import Diff, FigureChange, HwbChange, SourceCells
from dtoc.audit.diff_summary import headline, parameter_warnings, vintage_warnings
from dtoc.audit.explain import query_dicts
from dtoc.errors import DtocError
from dtoc.publish.reading import read_published_expectations
from dtoc.vocabulary import FIGURE_COLUMNS


def read_publication(folder: Path) -> pl.DataFrame:
    path = folder / "expectations.parquet"
    if not path.is_file():
        raise DtocError(f"{folder} is not a dtoc publication (no expectations.parquet)")
    return read_published_expectations(path)


def same(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-12, abs_tol=1e-12)
    return old == new


def figure_changes(old: pl.DataFrame, new: pl.DataFrame) -> list[HwbChange]:
    """One entry per HWB in both whose figures differ: the figures with old, new and change."""
    before = {r["hwb_code"]: r for r in old.iter_rows(named=True)}
    changes: list[HwbChange] = []
    for row in new.iter_rows(named=True):
        previous = before.get(row["hwb_code"])
        if previous is None:
            continue
        changed: list[FigureChange] = [
            {
                "figure": f,
                "old": previous[f],
                "new": row[f],
                "change": row[f] - previous[f] if isinstance(row[f], (int, float)) else None,
            }
            for f in FIGURE_COLUMNS
            if not same(previous[f], row[f])
        ]
        if changed:
            changes.append({"hwb_code": row["hwb_code"], "hwb_name": row["hwb_name"], "figures": changed})
    return changes


def source_cell_changes(old_dir: Path, new_dir: Path) -> SourceCells:
    """Delayed-days and population cells whose values differ between the two runs' databases."""
    databases = [folder / "dtoc.duckdb" for folder in (old_dir, new_dir)]
    if not all(d.is_file() for d in databases):
        return {"delays": [], "population": [], "note": ["a publication has no dtoc.duckdb: cells not compared"]}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{databases[0]}' as old_run (read_only)")
        connection.execute(f"attach '{databases[1]}' as new_run (read_only)")
        delays = query_dicts(connection, "changed_delay_cells")
        population = query_dicts(connection, "changed_population_cells")
        for cell in delays:
            cell["month"] = cell["month"].isoformat()
        return {"delays": delays, "population": population}


def diff_publications(old_dir: Path, new_dir: Path) -> Diff:
    """The comparison as data: headline, warnings, HWBs added/removed/changed, source cells changed."""
    old, new = read_publication(old_dir), read_publication(new_dir)
    old_codes, new_codes = set(old["hwb_code"]), set(new["hwb_code"])
    changes = figure_changes(old, new)
    return {
        "old": str(old_dir),
        "new": str(new_dir),
        "headline": headline(old, new, changes),
        "warnings": parameter_warnings(old_dir, new_dir) + vintage_warnings(old, new),
        "hwbs_added": sorted(new_codes - old_codes),
        "hwbs_removed": sorted(old_codes - new_codes),
        "hwbs_changed": changes,
        "source_cells_changed": source_cell_changes(old_dir, new_dir),
    }
