"""Monitoring a financial year: each month's actual average daily delays per HWB against its expectation.

The year's monthly DToC workbooks are found by their 'Period:' cell (dtoc.ingest.inputs); a month without a workbook
is reported, never estimated. The expectations come from a published run (expectations.parquet) or, when
none is published, are computed in this process from the baseline quarter (dtoc.model.pipeline); the glide path is
the per-HWB files' own (dtoc.report.hwb_content.glide_path_frame). The SQL models monitoring_actuals, monitoring and
monitoring_national compare them: `monitoring` has one row per HWB, month with a workbook and attribution (nhs,
social_care, joint, total); `monitoring_national` one row per such month and attribution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.choice import Needs, check_use, select_months
from dtoc.ingest.delays import DELAYED_DAYS_SCHEMA, DelaysWorkbook
from dtoc.ingest.inputs import SourceFile, scan_data_dir
from dtoc.model import database, geography, pipeline, run_inputs
from dtoc.model.glide_path import glide_path_frame
from dtoc.periods import days_in_month, month_label, months_between, parse_financial_year
from dtoc.plan import Plan
from dtoc.publish.reading import EXPECTATIONS_FILE, read_published_expectations

MONITORING_MODELS = ("monitoring_actuals", "monitoring", "monitoring_national")


@dataclass
class MonitoringInputs:
    """The year's months, the one workbook chosen for each month that has one, and the months without."""

    months: list[date]
    delays: list[SourceFile]
    missing_months: list[date]
    notes: list[str] = field(default_factory=list)


@dataclass
class MonitoringResult:
    """The monitoring tables of a year and what the run has to report about its inputs."""

    year: str
    monitoring: pl.DataFrame
    national: pl.DataFrame
    missing_months: list[date]
    expectations_source: str
    sources: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    months: list[date] = field(default_factory=list)


def find_monitoring_inputs(
    data_dir: Path, year: str, catalog_path: Path | None = None, preferred: tuple[Path, ...] = ()
) -> MonitoringInputs:
    """Scan the data folder for the financial year's monthly workbooks; missing months become notes."""
    months = parse_financial_year(year)
    files = scan_data_dir(data_dir, catalog_path)
    needs = Needs(tuple(months), frozenset(), f"the year {year}")
    selection = select_months(files, months, check_use(preferred, files, needs))
    delays, missing, notes = selection.chosen, selection.missing, selection.notes
    notes += [
        f"missing_months: no DToC workbook in {data_dir} for {month_label(m)}; its rows are absent (not estimated)"
        for m in missing
    ]
    return MonitoringInputs(months, delays, missing, notes)


def load_expectations(
    expectations_dir: Path | None,
    data_dir: Path,
    config: Config,
    population_path: Path | None = None,
    database_path: Path | None = None,
    catalog_path: Path | None = None,
) -> tuple[pl.DataFrame, str, list[str]]:
    """The expectations: read from expectations_dir/expectations.parquet when published there, else computed
    in-process from the baseline quarter's workbooks in data_dir. Returns the table, its source, notes."""
    published = expectations_dir / EXPECTATIONS_FILE if expectations_dir is not None else None
    if published is not None and published.is_file():
        notes = (
            [f"--population {population_path} not used: the expectations are read from {published}"]
            if population_path
            else []
        )
        return read_published_expectations(published), f"published: {published}", notes
    table, notes = pipeline.compute_expectations(
        data_dir, config, database_path, population_path, catalog_path=catalog_path
    )
    where = f"no {published}; " if published is not None else ""
    source = f"computed in-process ({where}baseline {config.baseline.describe()}, data in {data_dir})"
    return table, source, [f"expectations {source}", *notes]


def combine_year_delays(workbooks: list[DelaysWorkbook]) -> tuple[pl.DataFrame, list[str]]:
    """The year's delayed days in long form (one row per area, month, attribution) and every '-' cell as a
    note. An area listed twice in one month is an error."""
    for workbook in workbooks:
        geography.check_same_areas_each_month(workbook.delayed_days)
    frames = [w.delayed_days for w in workbooks] or [pl.DataFrame(schema=DELAYED_DAYS_SCHEMA)]
    notes = [note for w in sorted(workbooks, key=lambda w: w.month) for note in w.missing_cells]
    return pl.concat(frames).sort("month", "row_number", "attribution"), notes


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
    definition with the per-HWB files' Monthly sheet; after the plan year the expectation is held)."""
    check_year_follows_plan(year_months, plan)
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
    config: Config,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Load the year's delays, the expectations and their glide path into DuckDB, run the monitoring models,
    return the `monitoring` and `monitoring_national` tables."""
    present = sorted(set(delayed_days["month"].to_list()))
    table = months_table(year_months).filter(pl.col("month").is_in(present))
    for name, frame in (
        ("monitoring_delayed_days_raw", delayed_days),
        ("monitoring_months", table),
        ("expectations", expectations),
        ("glide_path", glide_path_table(expectations, year_months, config.plan)),
    ):
        database.load_table(connection, name, frame)
    database.run_models(connection, MONITORING_MODELS, {})
    return database.read_table(connection, "monitoring"), database.read_table(connection, "monitoring_national")


def build_monitoring_database(
    database_path: Path | None,
    delayed_days: pl.DataFrame,
    expectations: pl.DataFrame,
    year_months: list[date],
    config: Config,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """build_monitoring into the database file at database_path (in memory if None; closed afterwards)."""
    with database.connect(database_path) as connection:
        return build_monitoring(connection, delayed_days, expectations, year_months, config)


def sources_table(workbooks: list[DelaysWorkbook]) -> pl.DataFrame:
    """One row per monthly workbook used: file, sha256, sheet, month and its published / revised cells."""
    return pl.DataFrame(
        [
            {
                "file_name": w.path.name,
                "path": str(w.path),
                "sha256": w.sha256,
                "sheet": w.sheet,
                "month": w.month,
                "published": w.published,
                "revised": w.revised,
            }
            for w in workbooks
        ],
        schema={
            "file_name": pl.String,
            "path": pl.String,
            "sha256": pl.String,
            "sheet": pl.String,
            "month": pl.Date,
            "published": pl.String,
            "revised": pl.String,
        },
    ).sort("month")


@dataclass(frozen=True)
class MonitorSteps:
    """The monitoring pipeline's steps by name; the Prefect flow passes the same functions wrapped as tasks."""

    find_inputs: Callable = find_monitoring_inputs
    ingest_delays: Callable = run_inputs.ingest_delays
    load_expectations: Callable = load_expectations
    combine_delays: Callable = combine_year_delays
    build_database: Callable = build_monitoring_database


def compute_monitoring(
    data_dir: Path,
    year: str,
    config: Config,
    expectations_dir: Path | None = None,
    population_path: Path | None = None,
    database_path: Path | None = None,
    catalog_path: Path | None = None,
    steps: MonitorSteps = MonitorSteps(),
    preferred: tuple[Path, ...] = (),
) -> MonitoringResult:
    """The monitoring of a year, composed once (the flow runs it with task-wrapped steps)."""
    from dtoc.monitor.coverage import describe_coverage

    inputs = steps.find_inputs(data_dir, year, catalog_path, preferred)
    workbooks = [steps.ingest_delays(source) for source in inputs.delays]
    expectations, source, expectation_notes = steps.load_expectations(
        expectations_dir, data_dir, config, population_path, database_path, catalog_path
    )
    delayed_days, cell_notes = steps.combine_delays(workbooks)
    monitoring, national = steps.build_database(database_path, delayed_days, expectations, inputs.months, config)
    notes = inputs.notes + describe_coverage(delayed_days, expectations) + expectation_notes + cell_notes
    return MonitoringResult(
        year, monitoring, national, inputs.missing_months, source, sources_table(workbooks), notes, inputs.months
    )
