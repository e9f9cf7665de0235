"""The monitoring database: the year's delays, the expectations and the path they are compared with loaded into
DuckDB, and the SQL models monitoring_actuals, monitoring and monitoring_national run over them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dtoc.errors import DtocError
from dtoc.model import database
from dtoc.model.glide_path import glide_path_frame
from dtoc.periods import days_in_month, month_label, months_between
from dtoc.plan import Plan

MONITORING_MODELS = ("monitoring_actuals", "monitoring", "monitoring_national")


def months_table(months: list[date]) -> pl.DataFrame:
    """One row per month of the year with a workbook: days in the month and its index from the year's start."""
    first = months[0] if months else None
    return pl.DataFrame(
        {
            "month": months,
            "days_in_month": [days_in_month(m) for m in months],
            "month_index": [months_between(first, m) for m in months] if first else [],
        },
        schema={"month": pl.Date, "days_in_month": pl.Int64, "month_index": pl.Int64},
    )


def check_year_follows_plan(year_months: list[date], plan: Plan) -> None:
    """The year monitored must reach the plan's glide path: a year ending before it starts has no comparator."""
    if year_months[-1] < plan.glide_start:
        raise DtocError(
            f"the year {month_label(year_months[0])} to {month_label(year_months[-1])} ends before the glide path "
            f"of the expectations starts ({month_label(plan.glide_start)}, plan {plan.year}); monitor "
            f"{plan.year} or a later year"
        )


def glide_path_table(expectations: pl.DataFrame, year_months: list[date], plan: Plan) -> pl.DataFrame:
    """The expected path of each HWB, month of the year monitored and attribution (dtoc.model.glide_path: one
    definition with the per-HWB files' Monthly sheet; after the plan year the expectation is held; the year
    reaches the glide path: dtoc.commands.monitor checks it, check_year_follows_plan)."""
    return pl.DataFrame(
        glide_path_frame(expectations.to_dicts(), plan, year_months),
        schema={
            "hwb_code": pl.String,
            "month": pl.Date,
            "attribution": pl.String,
            "glide_path_daily": pl.Float64,
            "on_glide_path": pl.Boolean,
        },
    )


def build_monitoring(
    connection: duckdb.DuckDBPyConnection,
    delayed_days: pl.DataFrame,
    expectations: pl.DataFrame,
    year_months: list[date],
    plan: Plan,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Load the year's delays, the expectations and their glide path into DuckDB, run the monitoring models,
    return the `monitoring` and `monitoring_national` tables."""
    present = sorted(set(delayed_days["month"].to_list()))
    table = months_table(year_months).filter(pl.col("month").is_in(present))
    for name, frame in (
        ("monitoring_delayed_days_raw", delayed_days),
        ("monitoring_months", table),
        ("expectations", expectations),
        ("glide_path", glide_path_table(expectations, year_months, plan)),
    ):
        database.load_table(connection, name, frame)
    database.run_models(connection, MONITORING_MODELS, {})
    return database.read_table(connection, "monitoring"), database.read_table(connection, "monitoring_national")


def build_monitoring_database(
    database_path: Path | None,
    delayed_days: pl.DataFrame,
    expectations: pl.DataFrame,
    year_months: list[date],
    plan: Plan,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """build_monitoring into the database file at database_path (in memory if None; closed afterwards)."""
    with database.connect(database_path) as connection:
        return build_monitoring(connection, delayed_days, expectations, year_months, plan)
