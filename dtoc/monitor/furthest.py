"""The HWBs furthest above their expectation, which the monitoring page opens with.

One row per HWB whose total actual daily delays were above its expected total on average over the months judged
against the expectation (from the target month on; a month with a cell not reported is not judged): its average
distance above (actual minus expected daily delays), the same as a share of the expectation, the months missed
of those judged, and its worst month with the distance then. Furthest above first (then by code).
"""

from __future__ import annotations

import polars as pl

from dtoc.vocabulary import TOTAL_KEY


def furthest_above(monitoring: pl.DataFrame) -> list[dict]:
    """The rows described in the module docstring, as dicts (hwb_code, hwb_name, months_judged, months_missed,
    mean_distance, share_above, worst_month, worst_distance)."""
    judged = monitoring.filter(
        (pl.col("attribution") == TOTAL_KEY) & (pl.col("comparator") == "expected") & pl.col("distance").is_not_null()
    )
    worst = judged.sort(["distance", "month"], descending=[True, False]).group_by("hwb_code").first()
    table = (
        judged.group_by("hwb_code", "hwb_name")
        .agg(
            pl.len().alias("months_judged"),
            (~pl.col("met")).sum().alias("months_missed"),
            pl.col("distance").mean().alias("mean_distance"),
            pl.when(pl.col("expected_daily").sum() > 0)
            .then(pl.col("actual_daily").sum() / pl.col("expected_daily").sum() - 1)
            .alias("share_above"),
        )
        .join(
            worst.select("hwb_code", pl.col("month").alias("worst_month"), pl.col("distance").alias("worst_distance")),
            on="hwb_code",
        )
        .filter(pl.col("mean_distance") > 0)
        .sort(["mean_distance", "hwb_code"], descending=[True, False])
    )
    return table.to_dicts()
