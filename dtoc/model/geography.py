"""Geography: the versioned lookup of areas a DToC row covers (one row per component area), and the checks
that every month lists the same local authorities and that the population estimates cover every HWB (which
areas are HWBs is sql/hwb_areas.sql)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.errors import GeographyError
from dtoc.periods import month_label

LOOKUP_COLUMNS = ["component_code", "component_name", "hwb_code", "hwb_name", "reason"]


def load_geography_lookup(path: Path) -> pl.DataFrame:
    """One row per component ONS area whose population belongs to another HWB's DToC row."""
    lookup = pl.read_csv(path, schema_overrides={c: pl.String for c in LOOKUP_COLUMNS})
    if lookup.columns[: len(LOOKUP_COLUMNS)] != LOOKUP_COLUMNS:
        raise GeographyError(f"geography lookup {path}: columns must be {LOOKUP_COLUMNS}, found {lookup.columns}")
    duplicated = lookup.filter(pl.col("component_code").is_duplicated())["component_code"].unique().to_list()
    if duplicated:
        raise GeographyError(f"geography lookup {path}: component code(s) listed twice: {sorted(duplicated)}")
    return lookup.with_columns(pl.lit(path.name).alias("lookup_file"))


def check_same_areas_each_month(delayed_days: pl.DataFrame) -> None:
    """Every month of the quarter must list the same local authorities, each once."""
    areas = (
        delayed_days.filter(pl.col("area_type") == "local_authority")
        .select("month", "ons_code", "area_name", "source_file", "row_number")
        .unique()
    )
    duplicates = areas.group_by("month", "ons_code").agg(pl.col("row_number").sort(), pl.first("source_file"))
    duplicates = duplicates.filter(pl.col("row_number").list.len() > 1).sort("month", "ons_code")
    if duplicates.height:
        listed = "; ".join(
            f"{r['source_file']}: {r['ons_code']} on rows {r['row_number']}" for r in duplicates.iter_rows(named=True)
        )
        raise GeographyError(f"an area appears more than once in a month: {listed}")
    by_month = {m: set(g["ons_code"]) for (m,), g in areas.group_by("month")}
    everywhere = set.intersection(*by_month.values()) if by_month else set()
    problems = [
        f"{month_label(m)} ({areas.filter(pl.col('month') == m)['source_file'][0]}) also has "
        + ", ".join(sorted(codes - everywhere))
        for m, codes in sorted(by_month.items())
        if codes - everywhere
    ]
    if problems:
        raise GeographyError("the months of the quarter do not list the same areas: " + "; ".join(problems))


def check_population_coverage(
    hwb_population: pl.DataFrame, hwb_areas: pl.DataFrame, vintage: str, population_file: str
) -> None:
    """Every HWB (and every area its DToC row covers) must have a population 18+ row."""
    missing = hwb_population.filter(pl.col("population_18plus").is_null()).join(hwb_areas, on="hwb_code")
    if missing.height:
        listed = "; ".join(
            f"{r['hwb_code']} {r['hwb_name']} (no row for {', '.join(r['areas_without_population'])})"
            for r in missing.iter_rows(named=True)
        )
        raise GeographyError(
            f"{missing.height} DToC area(s) have no population in {population_file} ({vintage}): {listed}. "
            "The population estimates may be on other local authority boundaries than the DToC data; "
            "use estimates on the same boundaries, or add the mapping to the geography lookup"
        )
