"""The expectations a year is monitored against: a published `dtoc run` (its table, its plan, its population
estimates) or, when none is published, the same computation in this process.

One row of `ExpectationsSource.table` is one HWB of the expectations (expectations.parquet's columns); `plan` is
the plan the expectations were made for (the publication's manifest records it; a publication made before plans
were recorded has its target date, from which the plan year follows, the glide path from its April);
`population` is the population aged 18+ of every area of the estimates the expectations used, by ONS code (for
apportioning across boundary changes), None where the publication does not carry them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.model.pipeline import compute_read
from dtoc.model.run_inputs import RunInputs, read_run_inputs
from dtoc.periods import financial_year_label
from dtoc.plan import Plan
from dtoc.publish.outputs import MANIFEST_FILE
from dtoc.publish.reading import EXPECTATIONS_FILE, read_published_expectations

DATABASE_FILE = "dtoc.duckdb"


@dataclass
class ExpectationsSource:
    """The expectations, their plan and population estimates, and where they came from (see the docstring)."""

    table: pl.DataFrame
    plan: Plan
    vintage: str
    population: dict[str, int] | None
    description: str
    identity: dict[str, object]
    notes: list[str] = field(default_factory=list)


def plan_of(parameters: dict | None, config: Config) -> Plan:
    """The plan a publication's parameters record; the config's for a folder with no manifest."""
    if not parameters:
        return config.plan
    recorded = parameters.get("plan")
    if isinstance(recorded, dict):
        start = date.fromisoformat(f"{recorded['glide_path_start']}-01")
        return Plan(
            str(recorded["year"]),
            date.fromisoformat(str(recorded["target_date"])),
            start,
            recorded.get("national_ambition_daily"),
            bool(recorded.get("derived_from_baseline")),
        )
    target = date.fromisoformat(str(parameters["target_date"]))
    year = financial_year_label(target)
    return Plan(year, target, date(int(year[:4]), 4, 1), parameters.get("national_ambition_daily"))


def read_manifest(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def read_population(database_file: Path) -> dict[str, int] | None:
    """Population aged 18+ by ONS code, from a publication's database (None if it has none)."""
    if not database_file.is_file():
        return None
    try:
        with duckdb.connect(str(database_file), read_only=True) as connection:
            return dict(connection.execute("select ons_code, population_18plus from population_raw").fetchall())
    except duckdb.Error:
        return None


def read_published_source(folder: Path, config: Config) -> ExpectationsSource:
    """The expectations of the publication in folder (a damaged table is one line naming it)."""
    table_file = folder / EXPECTATIONS_FILE
    table = read_published_expectations(table_file)
    manifest = read_manifest(folder)
    parameters = manifest.get("parameters") if manifest else None
    vintages = table["population_vintage"].unique().to_list() if "population_vintage" in table.columns else []
    identity = {
        "folder": str(folder),
        "expectations_sha256": sha256_of(table_file),
        "fingerprint": manifest.get("fingerprint") if manifest else None,
    }
    return ExpectationsSource(
        table,
        plan_of(parameters, config),
        str(vintages[0]) if len(vintages) == 1 else config.population_vintage,
        read_population(folder / DATABASE_FILE),
        f"published: {table_file}",
        identity,
    )


def computed_source(inputs: RunInputs, config: Config, data_dir: Path) -> ExpectationsSource:
    """The expectations computed in this process from the baseline quarter's inputs (no publication to read)."""
    read = read_run_inputs(inputs)
    computed = compute_read(inputs, read, config, None)
    population = dict(read.population.population.select("ons_code", "population_18plus").iter_rows())
    description = f"computed in-process (baseline {config.baseline.describe()}, data in {data_dir})"
    identity: dict[str, object] = {"computed_from": [[s.path.name, s.sha256] for s in inputs.files]}
    return ExpectationsSource(
        computed.expectations,
        config.plan,
        read.population.vintage,
        population,
        description,
        identity,
        [f"expectations {description}", *computed.notes],
    )


def check_expectations_folder(folder: Path) -> None:
    """An expectations folder named with --expectations must hold a `dtoc run` publication: anything else is an
    error (never replaced by a computation in silence)."""
    if not folder.is_dir():
        raise DtocError(f"--expectations {folder} does not exist; name a `dtoc run` publication folder")
    manifest = read_manifest(folder)
    kind = manifest.get("kind", "expectations") if manifest else None
    if kind != "expectations" or not (folder / EXPECTATIONS_FILE).is_file():
        what = f"a dtoc {kind} publication" if kind else "no dtoc publication (no manifest.json)"
        raise DtocError(
            f"--expectations {folder} holds {what}, not the expectations of `dtoc run` ({EXPECTATIONS_FILE}); "
            "name the folder `dtoc run` published to"
        )
