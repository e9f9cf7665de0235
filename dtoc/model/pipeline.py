"""The expectations pipeline, composed once: inputs read (dtoc.model.run_inputs) -> combined -> DuckDB models
run. Its result is the `expectations` table, one row per HWB.

`compute_read` is the one composition of the computation. Each step is a plain function; `Steps` names them, and
the Prefect flow (flows/expectations_flow.py, through dtoc.commands.run) passes the same functions wrapped as
tasks. `compute` finds and reads the inputs first (the in-process path: the Python API, monitoring without a
publication, the benchmarks and the tests); the scenarios sweep reuses its steps up to `rates`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.ingest.delays import DelaysWorkbook
from dtoc.ingest.population import PopulationWorkbook
from dtoc.model import database, geography
from dtoc.model.run_inputs import ReadInputs, RunInputs, find_run_inputs, read_run_inputs
from dtoc.vocabulary import FIGURE_FORMULAS

# The models before and after the check that every HWB has a population (a visible step between them).
AREA_MODELS = ("stg_quarter_delays", "hwb_areas", "hwb_population")
EXPECTATION_MODELS = ("baseline", "rates", "banding", "expectations", "lineage")
MODEL_ORDER = AREA_MODELS + EXPECTATION_MODELS


def combine_delays(workbooks: list[DelaysWorkbook]) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """The quarter's delayed days and reported totals in long form, and every '-' cell as a note."""
    delayed_days = pl.concat([w.delayed_days for w in workbooks]).sort("month", "row_number", "attribution")
    reported_totals = pl.concat([w.reported_totals for w in workbooks]).sort("month", "row_number")
    missing = [note for w in sorted(workbooks, key=lambda w: w.month) for note in w.missing_cells]
    geography.check_same_areas_each_month(delayed_days)
    return delayed_days, reported_totals, missing


def source_files_table(workbooks: list[DelaysWorkbook], population: PopulationWorkbook) -> pl.DataFrame:
    """One row per input file with the facts read from it, for lineage and the manifest."""
    rows = [
        {
            "role": "delays",
            "file_name": w.path.name,
            "path": str(w.path),
            "sha256": w.sha256,
            "sheet": w.sheet,
            "period": w.month.isoformat(),
            "published": w.published,
            "revised": w.revised,
        }
        for w in workbooks
    ]
    rows.append(
        {
            "role": "population",
            "file_name": population.path.name,
            "path": str(population.path),
            "sha256": population.sha256,
            "sheet": population.sheet,
            "period": population.vintage,
            "published": None,
            "revised": None,
        }
    )
    return pl.DataFrame(rows).sort("role", "period")


def parameters_table(config: Config) -> pl.DataFrame:
    """The run's parameters as one JSON row (name 'config'), for lineage and `dtoc explain`."""
    return pl.DataFrame({"name": ["config"], "value": [json.dumps(config.as_dict(), sort_keys=True)]})


def formulas_table() -> pl.DataFrame:
    """One row per published figure: the attribution whose cells it depends on, and its formula."""
    return pl.DataFrame(
        [
            {"figure": name, "attribution": attribution, "formula": formula}
            for name, (attribution, formula) in FIGURE_FORMULAS.items()
        ],
        schema={"figure": pl.String, "attribution": pl.String, "formula": pl.String},
    )


def load_inputs(
    connection: duckdb.DuckDBPyConnection,
    delayed_days: pl.DataFrame,
    reported_totals: pl.DataFrame,
    population: PopulationWorkbook,
    sources: pl.DataFrame,
    config: Config,
) -> None:
    """The raw inputs, the geography lookup, the run's parameters and the figure formulas as tables."""
    for name, frame in (
        ("delayed_days_raw", delayed_days),
        ("reported_totals", reported_totals),
        ("population_raw", population.population),
        ("source_files", sources),
        ("geography_lookup", geography.load_geography_lookup(config.geography_lookup)),
        ("run_parameters", parameters_table(config)),
        ("figure_formulas", formulas_table()),
        ("policies", config.policy_table()),
    ):
        database.load_table(connection, name, frame)


def check_population(connection: duckdb.DuckDBPyConnection, population: PopulationWorkbook) -> None:
    """Every HWB (and every area its DToC row covers) has a population row: GeographyError otherwise."""
    geography.check_population_coverage(
        database.read_table(connection, "hwb_population"),
        database.read_table(connection, "hwb_areas"),
        population.vintage,
        population.path.name,
    )


def build_expectations(
    connection: duckdb.DuckDBPyConnection,
    delayed_days: pl.DataFrame,
    reported_totals: pl.DataFrame,
    population: PopulationWorkbook,
    sources: pl.DataFrame,
    config: Config,
) -> pl.DataFrame:
    """Load the inputs, run the area models, check the population covers every HWB, run the expectation
    models; returns the published table `expectations`."""
    load_inputs(connection, delayed_days, reported_totals, population, sources, config)
    parameters = config.sql_parameters()
    database.run_models(connection, AREA_MODELS, parameters)
    check_population(connection, population)
    database.run_models(connection, EXPECTATION_MODELS, parameters)
    return database.read_table(connection, "expectations")


def build_database(
    database_path: Path,
    delayed_days: pl.DataFrame,
    reported_totals: pl.DataFrame,
    population: PopulationWorkbook,
    sources: pl.DataFrame,
    config: Config,
) -> pl.DataFrame:
    """build_expectations into the database file at database_path (closed afterwards)."""
    with database.connect(database_path) as connection:
        return build_expectations(connection, delayed_days, reported_totals, population, sources, config)


@dataclass(frozen=True)
class Steps:
    """The computation's steps by name. The defaults are the plain functions; the Prefect flow passes the same
    functions wrapped as tasks."""

    combine_delays: Callable = combine_delays
    build_database: Callable = build_database


@dataclass
class Computed:
    """One computation's result: the inputs chosen, the workbooks' source facts, the table and the notes."""

    inputs: RunInputs
    sources: pl.DataFrame
    expectations: pl.DataFrame
    notes: list[str]


def compute_read(
    inputs: RunInputs, read: ReadInputs, config: Config, database_path: Path | None, steps: Steps = Steps()
) -> Computed:
    """The expectations from inputs already read: combine the months, build the database, return the table."""
    delayed_days, totals, missing = steps.combine_delays(read.workbooks)
    sources = source_files_table(read.workbooks, read.population)
    table = steps.build_database(database_path, delayed_days, totals, read.population, sources, config)
    return Computed(inputs, sources, table, inputs.notes + missing)


def compute_expectations(
    data_dir: Path,
    config: Config,
    database_path: Path | None = None,
    population_path: Path | None = None,
    preferred: tuple[Path, ...] = (),
    catalog_path: Path | None = None,
    fetch_from: Path | None = None,
    log: Callable[[str], None] = print,
) -> tuple[pl.DataFrame, list[str]]:
    """The whole computation in one process, without Prefect or publishing: find the inputs (downloading what the
    folder lacks with fetch_from, a sources manifest), read them, compute; returns the table and the run's notes."""
    inputs = find_run_inputs(data_dir, config, population_path, preferred, catalog_path, fetch_from, log)
    computed = compute_read(inputs, read_run_inputs(inputs), config, database_path)
    return computed.expectations, computed.notes
