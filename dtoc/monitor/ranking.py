"""The HWBs furthest above their expectation, for the monitoring's readers to start with (monitoring.xlsx opens
with them): one row per HWB judged against its expectation, its total delays in the latest month judged (from
the target month on, every cell reported), the furthest above first. Columns are monitoring.csv's."""

from __future__ import annotations

import polars as pl

from dtoc.vocabulary import TOTAL_KEY

RANKED_COLUMNS = (
    "hwb_name",
    "hwb_code",
    "month",
    "actual_daily",
    "expected_daily",
    "distance",
    "months_missed_to_date",
)


def furthest_above(monitoring: pl.DataFrame) -> pl.DataFrame:
    """One row per HWB with a month judged against its expectation: the total in its latest such month, sorted by
    distance (actual minus expected daily delays), the largest first, then by name."""
    judged = monitoring.filter((pl.col("attribution") == TOTAL_KEY) & pl.col("distance").is_not_null())
    latest = judged.sort("hwb_code", "month").group_by("hwb_code", maintain_order=True).last()
    return latest.sort(["distance", "hwb_name", "hwb_code"], descending=[True, False, False]).select(RANKED_COLUMNS)
