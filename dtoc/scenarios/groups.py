"""A sweep's inputs: the policies grouped by (baseline quarter, population), each group's files found once and
read once, loaded into its own schema of the sweep's database and run through the models up to `rates`.

A group is one row of `plan_groups`' result: the policies sharing a baseline quarter and a population vintage.
Its tables (delayed_days_raw, population_raw, geography_lookup, source_files, then stg_quarter_delays ... rates from
the same sql/ files `dtoc run` uses) live in schema group_<index>. A workbook that two groups use (the same
quarter with two population vintages) is read once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.choice import Needs, check_use
from dtoc.ingest.inputs import scan_data_dir
from dtoc.model import database, geography
from dtoc.model.pipeline import AREA_MODELS, EXPECTATION_MODELS, check_population, combine_delays, source_files_table
from dtoc.model.run_inputs import RunInputs, find_run_inputs, ingest_delays, ingest_population, run_needs
from dtoc.scenarios.table import PolicySet

# the models `dtoc run` runs before `banding`: a group's data up to each HWB's baseline rates
RATE_MODELS = EXPECTATION_MODELS[: EXPECTATION_MODELS.index("rates") + 1]  # the models a sweep shares with a run


@dataclass
class Group:
    """The policies sharing a baseline quarter and a population, and the input files they share."""

    index: int
    config: Config
    inputs: RunInputs
    asked_vintage: str | None
    first_policy: int
    policies: int
    notes: list[str]

    @property
    def schema(self) -> str:
        return f"group_{self.index}"

    @property
    def population_vintage(self) -> str:
        return self.inputs.population.period or self.config.population_vintage


def plan_groups(
    policies: PolicySet, config: Config, data_dir: Path, population: Path | None, use: tuple[Path, ...] = ()
) -> list[Group]:
    """One group per (baseline, population vintage) in order of first appearance, its files found (not yet
    read). A policy row without a vintage uses --population FILE if given, else the configured vintage. The
    --use files must each hold a month or vintage some group reads (dtoc.ingest.choice.check_use); each group
    prefers those of its own. A quarter or vintage the data folder lacks names the first policy that asks for it."""
    keys = policies.frame.group_by("baseline", "population_vintage", maintain_order=True).agg(
        pl.col("policy_number").min().alias("first"), pl.len().alias("count")
    )
    rows = list(keys.iter_rows())
    configs = [
        replace(config.with_baseline(baseline), population_vintage=vintage or config.population_vintage)
        for baseline, vintage, _, _ in rows
    ]
    needs = [run_needs(c, population if row[1] is None else None) for c, row in zip(configs, rows, strict=True)]
    every = Needs(
        tuple(m for n in needs for m in n.months),
        frozenset(v for n in needs for v in n.vintages),
        "the baseline quarters and population vintages of the policies",
    )
    named = check_use(use, scan_data_dir(data_dir), every) if use else []
    groups = []
    for index, ((_, vintage, first, count), group_config, need) in enumerate(zip(rows, configs, needs, strict=True)):
        own = tuple(f.path for f in named if f.period in {*(m.isoformat() for m in need.months), *need.vintages})
        try:
            inputs = find_run_inputs(data_dir, group_config, population if vintage is None else None, own)
        except DtocError as error:
            raise DtocError(
                f"the baseline {group_config.baseline.label} {policies.where(first)} asks for: {error}"
            ) from None
        groups.append(Group(index, group_config, inputs, vintage, first, count, list(inputs.notes)))
    return groups


def load_policies(connection: duckdb.DuckDBPyConnection, policies: PolicySet, groups: list[Group]) -> None:
    """main.policies: the policies (one row per policy, as dtoc.scenarios.table) with their group's index and
    population_vintage set to the vintage the group read; joined in DuckDB, so Python holds no second copy."""
    index = pl.DataFrame(
        {
            "baseline": [g.config.baseline.label for g in groups],
            "population_vintage": [g.asked_vintage for g in groups],
            "group_index": [g.index for g in groups],
            "read_vintage": [g.population_vintage for g in groups],
        },
        schema={
            "baseline": pl.String,
            "population_vintage": pl.String,
            "group_index": pl.Int64,
            "read_vintage": pl.String,
        },
    )
    database.load_table(connection, "policy_groups", index)
    # Arrow string views: the names are handed to DuckDB without a copy (a plain export copies every string)
    connection.register("incoming_policies", policies.frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        connection.execute(
            "create table policies as select incoming.* replace (policy_groups.read_vintage as population_vintage), "
            "policy_groups.group_index from incoming_policies as incoming join policy_groups on "
            "incoming.baseline is not distinct from policy_groups.baseline and "
            "incoming.population_vintage is not distinct from policy_groups.population_vintage"
        )
    finally:
        connection.unregister("incoming_policies")


def read_once(cache: dict, source, read):
    """read(source), remembered by the file's sha256 for the rest of the sweep."""
    if source.sha256 not in cache:
        cache[source.sha256] = read(source)
    return cache[source.sha256]


def load_group(connection: duckdb.DuckDBPyConnection, group: Group, cache: dict) -> pl.DataFrame:
    """Read the group's workbooks (once per sweep), load them into its schema, run the models up to `rates`,
    check that every HWB has a population; returns the group's source_files table."""
    workbooks = [read_once(cache, source, ingest_delays) for source in group.inputs.delays]
    population = read_once(cache, group.inputs.population, ingest_population)
    delayed_days, _, missing = combine_delays(workbooks)
    group.notes += missing
    sources = source_files_table(workbooks, population)
    connection.execute(f"create schema {group.schema}")
    connection.execute(f"use {group.schema}")
    for name, frame in (
        ("delayed_days_raw", delayed_days),
        ("population_raw", population.population),
        ("geography_lookup", geography.load_geography_lookup(group.config.geography_lookup)),
        ("source_files", sources),
    ):
        database.load_table(connection, name, frame)
    parameters = group.config.sql_parameters()
    database.run_models(connection, AREA_MODELS, parameters)
    check_population(connection, population)
    database.run_models(connection, RATE_MODELS, parameters)
    connection.execute("use main")
    return sources
