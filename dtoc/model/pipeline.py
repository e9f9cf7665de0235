"""The expectations pipeline, composed once: inputs found -> workbooks ingested -> DuckDB models run. Its result
is the `expectations` table, one row per HWB.

`compute` is the one composition. Each step is a plain function; `Steps` names them, and the Prefect flow
(flows/expectations_flow.py, through dtoc.publish.run) passes the same functions wrapped as tasks, so the flow and
the in-process path (`compute_expectations`, used by monitoring, the benchmarks and the tests) run the same
pipeline; the scenarios sweep reuses its steps up to `rates` (dtoc.scenarios.groups).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.errors import InputError
from dtoc.ingest.delays import DelaysWorkbook, ingest_delays_workbook
from dtoc.ingest.inputs import SourceFile, scan_data_dir, select_population, select_quarter_workbooks
from dtoc.ingest.population import PopulationWorkbook, ingest_population_workbook
from dtoc.ingest.sources import fetch_absent_inputs
from dtoc.model import database, geography
from dtoc.vocabulary import FIGURE_FORMULAS

# The models before and after the check that every HWB has a population (a visible step between them).
AREA_MODELS = ("stg_quarter_delays", "hwb_areas", "hwb_population")
EXPECTATION_MODELS = ("baseline", "rates", "banding", "expectations", "lineage")
MODEL_ORDER = AREA_MODELS + EXPECTATION_MODELS


@dataclass(frozen=True)
class RunRequest:
    """What one computation is asked for: the data folder, the config, and the options that choose inputs."""

    data_dir: Path
    config: Config
    population_path: Path | None = None
    preferred: tuple[Path, ...] = ()
    catalog_path: Path | None = None
    fetch_from: Path | None = None


@dataclass
class RunInputs:
    """The files a run uses: one DToC workbook per month of the quarter and one population workbook."""

    delays: list[SourceFile]
    population: SourceFile
    notes: list[str] = field(default_factory=list)


def find_run_inputs(
    data_dir: Path,
    config: Config,
    population_path: Path | None = None,
    preferred: tuple[Path, ...] = (),
    catalog_path: Path | None = None,
    fetch_from: Path | None = None,
    log: Callable[[str], None] = print,
) -> RunInputs:
    """Scan the data folder and choose the quarter's workbooks and the population file. With fetch_from (a
    sources manifest), first download the quarter's months and the population vintage the folder lacks."""
    files = scan_data_dir(data_dir, catalog_path)
    if fetch_from is not None and fetch_absent_inputs(
        data_dir, files, config, population_path is not None, fetch_from, log
    ):
        files = scan_data_dir(data_dir, catalog_path)
    delays, notes = select_quarter_workbooks(files, config.baseline, data_dir, preferred)
    population = select_population(files, config.population_vintage, data_dir, population_path)
    return RunInputs(delays, population, notes)


def ingest_delays(source: SourceFile) -> DelaysWorkbook:
    """Read one monthly workbook; its 'Period:' cell must hold the month it was chosen for."""
    workbook = ingest_delays_workbook(source.path, source.sha256)
    if source.period and workbook.month.isoformat() != source.period:
        raise InputError(
            f"the 'Period:' cell says {workbook.month:%B %Y}, but the file was catalogued as {source.period}",
            file=str(source.path),
            sheet=workbook.sheet,
        )
    return workbook


def ingest_population(source: SourceFile) -> PopulationWorkbook:
    return ingest_population_workbook(source.path, source.sha256)


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
    """The pipeline's steps by name. The defaults are the plain functions; the Prefect flow passes the same
    functions wrapped as tasks."""

    find_inputs: Callable = find_run_inputs
    ingest_delays: Callable = ingest_delays
    ingest_population: Callable = ingest_population
    combine_delays: Callable = combine_delays
    build_database: Callable = build_database


@dataclass
class Computed:
    """One computation's result: the inputs chosen, the workbooks' source facts, the table and the notes."""

    inputs: RunInputs
    sources: pl.DataFrame
    expectations: pl.DataFrame
    notes: list[str]


def compute(
    request: RunRequest, database_path: Path | None, steps: Steps = Steps(), log: Callable[[str], None] = print
) -> Computed:
    """The expectations pipeline: find and read the inputs, build the database, return the table."""
    config = request.config
    inputs = steps.find_inputs(
        request.data_dir,
        config,
        request.population_path,
        request.preferred,
        request.catalog_path,
        request.fetch_from,
        log,
    )
    workbooks = [steps.ingest_delays(source) for source in inputs.delays]
    population = steps.ingest_population(inputs.population)
    delayed_days, totals, missing = steps.combine_delays(workbooks)
    sources = source_files_table(workbooks, population)
    table = steps.build_database(database_path, delayed_days, totals, population, sources, config)
    return Computed(inputs, sources, table, inputs.notes + missing)


def compute_expectations(
    data_dir: Path,
    config: Config,
    database_path: Path | None = None,
    population_path: Path | None = None,
    preferred: tuple[Path, ...] = (),
    catalog_path: Path | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """The whole computation in one process, without Prefect: returns the table and the run's notes."""
    computed = compute(RunRequest(data_dir, config, population_path, preferred, catalog_path), database_path)
    return computed.expectations, computed.notes
