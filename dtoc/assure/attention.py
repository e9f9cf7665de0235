"""The HWBs an assurer reads first: those whose plan needs attention, most serious first.

Not in line, then reattributed with no evidence, then no plan, then reattributed with evidence (ATTENTION); within
a verdict the largest gap first. An HWB's gap is its largest excess over an expectation in an assessed month: of
the total for a plan not in line, of an attribution for a reattributed one (whose total is in line). In-line
HWBs need none. assurance.html opens with these rows; the in-line HWBs come last.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from dtoc.assure.verdicts import (
    NO_PLAN,
    NOT_IN_LINE,
    REATTRIBUTED_EVIDENCED,
    REATTRIBUTED_UNEVIDENCED,
)
from dtoc.vocabulary import BY_KEY, TOTAL_KEY, TOTAL_LABEL

ATTENTION = (NOT_IN_LINE, REATTRIBUTED_UNEVIDENCED, NO_PLAN, REATTRIBUTED_EVIDENCED)


def worst_gaps(assurance: pl.DataFrame, months: pl.DataFrame) -> dict[str, tuple[date, float, str]]:
    """hwb_code -> (month, gap in days, attribution key) of the largest excess that makes its verdict: over the
    total's expectation for a plan not in line, over an attribution's for a reattributed one; the earlier month
    of two equal gaps."""
    verdicts = dict(assurance.select("hwb_code", "verdict").iter_rows())
    worst: dict[str, tuple[date, float, str]] = {}
    over = months.filter(pl.col("assessed") & ~pl.col("in_line")).sort("month")
    for code, month, attribution, gap in over.select("hwb_code", "month", "attribution", "gap_days").iter_rows():
        if (attribution == TOTAL_KEY) != (verdicts.get(code) == NOT_IN_LINE):
            continue
        if code not in worst or gap > worst[code][1]:
            worst[code] = (month, gap, attribution)
    return worst


def attention_rows(assurance: pl.DataFrame, months: pl.DataFrame) -> list[dict]:
    """One dict per HWB that needs attention, in ATTENTION order, then by its gap (largest first) and code:
    the assurance row with `worst_month`, `gap_days` and `gap_of` (the attribution's label) where it has a gap."""
    worst = worst_gaps(assurance, months)
    rows = []
    for row in assurance.filter(pl.col("verdict").is_in(ATTENTION)).iter_rows(named=True):
        month, gap, key = worst.get(row["hwb_code"], (None, None, None))
        label = None if key is None else (TOTAL_LABEL if key == TOTAL_KEY else BY_KEY[key].label)
        rows.append({**row, "worst_month": month, "gap_days": gap, "gap_of": label})
    return sorted(
        rows,
        key=lambda r: (ATTENTION.index(r["verdict"]), -(r["gap_days"] or 0.0), r["hwb_code"]),
    )
