"""The chart series of a sweep, read from its `scenarios` table in DuckDB: per swept parameter (or input), one
point per value, or per bin of values when a numeric parameter takes more than MAX_CHART_POINTS, with the
lowest, median and highest national expected total of the policies there and how many they are.
"""

from __future__ import annotations

import duckdb

from dtoc.config import FIELD_WORDS, INPUT_NAMES
from dtoc.model.database import row_dicts
from dtoc.vocabulary import BANDED

MAX_CHART_POINTS = 60
PARAMETER_LABELS = {
    f"{a.short}_{INPUT_NAMES[name]}": f"{a.label} {word}" for a in BANDED for name, word in FIELD_WORDS.items()
}
INPUT_LABELS = {"baseline": "Baseline quarter", "population_vintage": "Population vintage"}
LABELS = {**PARAMETER_LABELS, **INPUT_LABELS}
POINT = (
    "min(expected_total_daily) as low, median(expected_total_daily) as median, "
    "max(expected_total_daily) as high, count(*) as policies"
)


def series_points(connection: duckdb.DuckDBPyConnection, column: str, values: int) -> list[dict]:
    """The points of one column (a name from LABELS, never user text), by value; numeric values in
    MAX_CHART_POINTS bins of equal width when there are more, each point at its bin's middle."""
    if column in PARAMETER_LABELS and values > MAX_CHART_POINTS:
        low, high = connection.sql(f"select min({column}), max({column}) from scenarios").fetchall()[0]
        width = (high - low) / MAX_CHART_POINTS
        key = f"$low + least(greatest(floor(({column} - $low) / $width), 0), $last) * $width + $width / 2"
        parameters: dict[str, object] = {"low": low, "width": width, "last": MAX_CHART_POINTS - 1}
    else:
        key, parameters = column, {}
    return row_dicts(
        connection.execute(f"select {key} as value, {POINT} from scenarios group by value order by value", parameters)
    )


def sweep_series(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    """One series per parameter or input that takes more than one value in the sweep."""
    counts = connection.sql(
        "select " + ", ".join(f"count(distinct {column})" for column in LABELS) + " from scenarios"
    ).fetchall()[0]
    return [
        {"column": column, "label": label, "points": series_points(connection, column, values)}
        for (column, label), values in zip(LABELS.items(), counts, strict=True)
        if values > 1
    ]
