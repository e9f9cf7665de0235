"""The expectations a year is monitored against: a published `dtoc run` (its table, its plan, its population
estimates) or, when none is published, the same computation in this process.

One row of `ExpectationsSource.table` is one HWB of the expectations (expectations.parquet's columns); `plan` is
the plan the expectations were made for (the publication's manifest records it; a publication made before plans
were recorded has its target date, from which the plan year follows, the glide path from its April);
`population` is the population aged 18+ of every area of the estimates the expectations used, by ONS code (for
apportioning across boundary changes), None where the publication does not carry them; `inputs` the files the
expectations were made from (as a manifest lists them) and `validation` the gate's result its manifest records
(None when computed here, or not recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.model.pipeline import compute_read
from dtoc.model.run_inputs import RunInputs, read_run_inputs
from dtoc.plan import Plan
from dtoc.publish.reading import EXPECTATIONS_FILE, read_publication


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
    inputs: list[dict] = field(default_factory=list)
    validation: dict | None = None


def read_published_source(folder: Path, config: Config) -> ExpectationsSource:
    """The expectations of the publication in folder (dtoc.publish.reading: a damaged table is one line)."""
    publication = read_publication(folder)
    table = publication.table
    identity: dict[str, object] = {
        "folder": str(folder),
        "expectations_sha256": publication.identity["expectations_sha256"],
        "fingerprint": publication.manifest.get("fingerprint"),
    }
    vintages = table["population_vintage"].unique().to_list() if "population_vintage" in table.columns else []
    return ExpectationsSource(
        table,
        publication.plan(config),
        str(vintages[0]) if len(vintages) == 1 else config.population_vintage,
        publication.population(),
        f"published: {folder / EXPECTATIONS_FILE}",
        identity,
        inputs=list(publication.manifest.get("inputs", [])),
        validation=publication.manifest.get("validation"),
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
        inputs=computed.sources.to_dicts(),
    )
