"""What an assurance or CCG split publication holds besides its tables: counts by region and verdict, the wide
months, and the record of the input file (path, sha256, rows) its manifest names (dtoc.publish.manifest writes
it, with no clock time, so the same inputs and code give a byte-identical publication)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.assure.verdicts import ATTENTION_ORDER, MONTH_COLUMNS, VERDICTS
from dtoc.ingest.inputs import sha256_of
from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY

ASSURANCE_KIND, SPLIT_KIND = "assurance", "ccg_split"


def count_by_region(assurance: pl.DataFrame) -> pl.DataFrame:
    """One row per region: its HWBs, then how many have each verdict (for the moderation panel)."""
    return (
        assurance.group_by("region")
        .agg(
            pl.len().cast(pl.Int64).alias("hwbs"),
            *((pl.col("verdict") == v).sum().cast(pl.Int64).alias(v) for v in VERDICTS),
        )
        .sort("region")
    )


def months_wide(months: pl.DataFrame) -> pl.DataFrame:
    """The long form pivoted for people: one row per HWB and month; per attribution, then the total, the
    planned and expected days and whether in line; then the total's gap. Same figures, a quarter the cells."""
    identity = [c for c in MONTH_COLUMNS[: MONTH_COLUMNS.index("planned_days")] if c != "attribution"]
    wide = months.pivot(on="attribution", index=identity, values=["planned_days", "expected_days", "in_line"])
    figures = [
        pl.col(f"{value}_{key}").alias(f"{key}_{value}")
        for key in (*(a.key for a in ATTRIBUTIONS), TOTAL_KEY)
        for value in ("planned_days", "expected_days", "in_line")
    ]
    gap = (pl.col(f"planned_days_{TOTAL_KEY}") - pl.col(f"expected_days_{TOTAL_KEY}")).alias(f"{TOTAL_KEY}_gap_days")
    return wide.select(*identity, *figures, gap)


def attention_first(assurance: pl.DataFrame) -> pl.DataFrame:
    """The HWBs in the order an assurer reads them: by verdict as ATTENTION_ORDER ranks them (not in line,
    reattributed without evidence, no plan, reattributed with evidence, in line), then the largest worst-month
    gap first, then by name."""
    rank = pl.col("verdict").replace_strict(ATTENTION_ORDER, list(range(len(ATTENTION_ORDER))), return_dtype=pl.Int64)
    return assurance.sort(
        [rank, "worst_total_gap_days", "hwb_name", "hwb_code"], descending=[False, True, False, False], nulls_last=True
    )


def count_verdicts(assurance: pl.DataFrame) -> dict[str, int]:
    """Verdict -> HWBs with it, every verdict present (0 where none)."""
    counts = dict(assurance["verdict"].value_counts().iter_rows())
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def describe_input(path: Path, rows: int) -> dict[str, object]:
    return {
        "file": path.name,
        "path": str(path.resolve()),
        "sha256": sha256_of(path),
        "bytes": path.stat().st_size,
        "rows": rows,
    }
