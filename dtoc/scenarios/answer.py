"""The analyst's question answered from the `scenarios` table: which policies land near the ambition, and of
those, which share the reduction most evenly between NHS and social care and ask least of any one HWB.

`rank_policies` returns one row per policy whose national expected total lies within the tolerance of the
ambition, best first: by |reduction_balance| (NHS minus social care reduction, daily delays), then by the
largest reduction asked of one HWB, then in input order. `sweep_series` gives, per swept parameter, one point
per value (or per bin of values) with the lowest, median and highest national total of the policies there.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dtoc.scenarios.table import INPUT_NAMES, PARAMETERS
from dtoc.vocabulary import BANDED

MAX_CHART_POINTS = 60
PARAMETER_LABELS = {
    f"{a.short}_{INPUT_NAMES[name]}": f"{a.label} {word}"
    for a in BANDED
    for name, word in (("target_rate", "target rate"), ("upper_rate", "upper rate"), ("reduction_cap", "reduction cap"))
}
INPUT_LABELS = {"baseline": "Baseline quarter", "population_vintage": "Population vintage"}


@dataclass(frozen=True)
class Question:
    """Policies within `tolerance` daily delays of the national `ambition` (both daily delays)."""

    ambition: float
    tolerance: float

    def describe(self) -> str:
        return (
            f"within {self.tolerance:,g} of the ambition of {self.ambition:,g} daily delays "
            f"({self.ambition - self.tolerance:,g} to {self.ambition + self.tolerance:,g})"
        )


def rank_policies(table: pl.DataFrame, question: Question) -> pl.DataFrame:
    """The policies near the ambition, ranked (column `rank`, 1 = best), with their distance to it."""
    return (
        table.with_row_index("policy_number", offset=1)
        .with_columns((pl.col("expected_total_daily") - question.ambition).alias("distance_to_ambition"))
        .filter(pl.col("distance_to_ambition").abs() <= question.tolerance)
        .sort(pl.col("reduction_balance").abs(), "largest_hwb_reduction_pct", "policy_number")
        .with_row_index("rank", offset=1)
        .select(
            "rank",
            "policy",
            "expected_total_daily",
            "distance_to_ambition",
            "nhs_reduction_daily",
            "asc_reduction_daily",
            "reduction_balance",
            "largest_hwb_reduction_pct",
            *PARAMETERS,
            "baseline",
            "population_vintage",
        )
    )


def describe_policy(row: dict) -> str:
    """'NHS 5.5/7.9/30%, Social care 2.6/4.3/40% (2017-18Q3, mid-2016)': target/upper/cap per attribution."""
    parts = [
        f"{a.label} {row[f'{a.short}_target']:g}/{row[f'{a.short}_upper']:g}/{row[f'{a.short}_cap'] * 100:g}%"
        for a in BANDED
    ]
    return f"{', '.join(parts)} ({row['baseline']}, {row['population_vintage']})"


def describe_ranked(row: dict) -> str:
    return (
        f"{row['rank']}. {row['policy']}: {describe_policy(row)}; total {row['expected_total_daily']:,.1f}"
        f" ({row['distance_to_ambition']:+,.1f}); reduction NHS {row['nhs_reduction_daily']:,.1f}, social care "
        f"{row['asc_reduction_daily']:,.1f} (balance {row['reduction_balance']:+,.1f}); largest asked of one HWB "
        f"{row['largest_hwb_reduction_pct']:.1f}%"
    )


def closest_policies(table: pl.DataFrame, question: Question, count: int) -> pl.DataFrame:
    return (
        table.with_columns((pl.col("expected_total_daily") - question.ambition).alias("distance_to_ambition"))
        .sort(pl.col("distance_to_ambition").abs(), maintain_order=True)
        .head(count)
    )


def format_answer(table: pl.DataFrame, ranked: pl.DataFrame, question: Question, top: int = 10) -> list[str]:
    """A short answer in lines of text: how many policies land near the ambition and the best of them."""
    lines = [f"{ranked.height:,} of {table.height:,} policies land {question.describe()}."]
    if ranked.height:
        lines.append(
            f"Ranked by how evenly NHS and social care share the reduction, then by the largest "
            f"reduction asked of one HWB (best {min(top, ranked.height)}):"
        )
        lines += ["  " + describe_ranked(row) for row in ranked.head(top).iter_rows(named=True)]
    else:
        lines.append("Closest to the ambition:")
        lines += [
            f"  {row['policy']}: {describe_policy(row)}; total {row['expected_total_daily']:,.1f} "
            f"({row['distance_to_ambition']:+,.1f})"
            for row in closest_policies(table, question, 5).iter_rows(named=True)
        ]
    return lines


def series_points(table: pl.DataFrame, column: str) -> list[dict]:
    """Lowest, median and highest national total per value of `column` (per bin when there are many)."""
    key = pl.col(column)
    values = table[column].n_unique()
    if values > MAX_CHART_POINTS and table.schema[column].is_numeric():
        low, high = table[column].min(), table[column].max()
        if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
            raise TypeError(f"{column}: expected numeric bounds, got {low!r} and {high!r}")
        width = (high - low) / MAX_CHART_POINTS
        key = low + ((pl.col(column) - low) / width).floor().clip(0, MAX_CHART_POINTS - 1) * width + width / 2
    grouped = table.group_by(key.alias("value"), maintain_order=True).agg(
        pl.col("expected_total_daily").min().alias("low"),
        pl.col("expected_total_daily").median().alias("median"),
        pl.col("expected_total_daily").max().alias("high"),
        pl.len().alias("policies"),
    )
    return grouped.sort("value").to_dicts()


def sweep_series(table: pl.DataFrame) -> list[dict]:
    """One series per parameter or input that takes more than one value in the sweep."""
    return [
        {"column": column, "label": label, "points": series_points(table, column)}
        for column, label in {**PARAMETER_LABELS, **INPUT_LABELS}.items()
        if table[column].n_unique() > 1
    ]
