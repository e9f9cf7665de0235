"""The sweep in DuckDB: every policy against every HWB in one database, set-wise, a chunk of policies at a time,
through the shared models.

The policies go into `main.policies` (one row per policy: number, name, group, six numbers, baseline,
vintage). `main.scenario_chunk` holds the `Budget.chunk_policies` policies being computed (empty once the
sweep is done). Each group's schema has a `policies` view of its part of the chunk, `banding` as a view over
sql/banding.sql (the file `dtoc run` also runs, so a sweep and a run cannot apply different rules), and
sql/scenario_hwb.sql and sql/scenario_summary.sql as views. Each chunk appends its rows to `main.scenarios`
(sql/scenarios.sql) and streams them, in input order, to scenarios.csv/.parquet and, when the long form is
asked for, its rows sorted by policy then HWB to scenarios_hwb.parquet: DuckDB holds one chunk at a time
however many policies there are, and nothing the size of the sweep is ever sorted but the ranked policies
(`main.scenario_ranked`, sql/scenario_ranked.sql, within DuckDB's memory limit).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dtoc.config import BANDED_RULE, HELD_RULE, POLICY_FIELDS
from dtoc.model import database
from dtoc.scenarios.budget import Budget
from dtoc.scenarios.groups import Group
from dtoc.scenarios.stream import ParquetStream, TableStream
from dtoc.vocabulary import ATTRIBUTIONS, BANDED

SCENARIO_MODELS = ("scenario_hwb", "scenario_summary", "scenarios", "scenario_ranked")
POLICY_COLUMNS = ("policy_number", "policy", *(f"{a.short}_{name}" for a in BANDED for name in POLICY_FIELDS))
BATCH_ROWS = 122_880  # rows per record batch, and per row group of the Parquet files the sweep streams
CHUNK_ROWS = (
    "select * exclude (policy_number, annex3) from scenarios where policy_number between ? and ? order by policy_number"
)
LONG_FORM_ROWS = "select * exclude (policy) from scenario_hwb_all order by policy_number, hwb_code"
CHUNK_NAMES = "select policy from scenario_chunk order by policy_number"


def connect_sweep(path: Path, spill: Path, budget: Budget) -> duckdb.DuckDBPyConnection:
    """The sweep's database file, held to the budget: DuckDB's memory limit and threads, and its spill files
    in `spill` (a folder inside the staging folder), at most `budget.max_spill`. Every result the sweep reads
    is ordered by ORDER BY, so DuckDB need not keep insertion order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(
        str(path),
        config={
            "memory_limit": budget.memory_limit,
            "threads": budget.threads,
            "temp_directory": str(spill),
            "max_temp_directory_size": budget.max_spill,
            "preserve_insertion_order": False,
        },
    )
    database.define_macros(connection)
    return connection


def create_model(connection: duckdb.DuckDBPyConnection, name: str, kind: str) -> None:
    """A view or table `name` from sql/<name>.sql, in the current schema (these models bind no parameters)."""
    connection.execute(f'create {kind} "{name}" as {database.model_sql(name).strip().rstrip(";")}')


def build_group_models(connection: duckdb.DuckDBPyConnection, group: Group) -> None:
    """The group's part of the chunk as `policies`, banding (the run's model), its long form and summary."""
    connection.execute(f"use {group.schema}")
    connection.execute(f"create view policies as {long_policies_sql(group.index)}")
    for name in ("banding", "scenario_hwb", "scenario_summary"):
        create_model(connection, name, "view")
    connection.execute("use main")


def long_policies_sql(group_index: int) -> str:
    """The group's part of the chunk in the long form sql/banding.sql reads, one row per policy and attribution of
    the vocabulary (the sweep keeps each policy's numbers side by side, as the POLICIES file has them)."""
    where = f"from main.scenario_chunk where group_index = {group_index:d}"
    parts = [
        f"select policy_number, policy, '{a.short}' as attribution, '{BANDED_RULE}' as rule, "
        + ", ".join(f"{a.short}_{name} as {name}" for name in POLICY_FIELDS)
        + f" {where}"
        if a.banded
        else f"select policy_number, policy, '{a.short}', '{HELD_RULE}', "
        + ", ".join(["null"] * len(POLICY_FIELDS))
        + f" {where}"
        for a in ATTRIBUTIONS
    ]
    return " union all ".join(parts)


def union_view(connection: duckdb.DuckDBPyConnection, name: str, source: str, groups: list[Group]) -> None:
    connection.execute(
        f"create view {name} as " + " union all ".join(f"select * from {g.schema}.{source}" for g in groups)
    )


def sweep_chunk(
    connection: duckdb.DuckDBPyConnection, first: int, last: int, table: TableStream, long_form: ParquetStream | None
) -> None:
    """Policies first..last: their rows into `scenarios` and onto the table's stream, then their long form."""
    connection.execute("delete from scenario_chunk")
    connection.execute(
        "insert into scenario_chunk select * from policies where policy_number between ? and ?", [first, last]
    )
    connection.execute(f"insert into scenarios {database.model_sql('scenarios').strip().rstrip(';')}")
    table.write(connection.sql(CHUNK_ROWS, params=[first, last]).to_arrow_reader(BATCH_ROWS))
    if long_form is not None:
        names = connection.sql(CHUNK_NAMES).to_arrow_table().column(0).combine_chunks()
        long_form.write_named(connection.sql(LONG_FORM_ROWS).to_arrow_reader(BATCH_ROWS), names, first)


def run_sweep(
    connection: duckdb.DuckDBPyConnection,
    count: int,
    groups: list[Group],
    budget: Budget,
    table: TableStream,
    long_form: ParquetStream | None,
) -> None:
    """Policies 1..count on every HWB (groups, `policies`, `question` and `run_policy` loaded), chunk by chunk:
    `scenarios` filled and streamed, the long form streamed if asked; then `scenario_ranked`."""
    connection.execute("create table scenario_chunk as select * from policies limit 0")
    for group in groups:
        build_group_models(connection, group)
    union_view(connection, "scenario_hwb_all", "scenario_hwb", groups)
    union_view(connection, "scenario_summary_all", "scenario_summary", groups)
    create_model(connection, "scenarios", "table")  # empty: scenario_chunk is
    for first in range(1, count + 1, budget.chunk_policies):
        sweep_chunk(connection, first, first + budget.chunk_policies - 1, table, long_form)
    connection.execute("delete from scenario_chunk")
    create_model(connection, "scenario_ranked", "table")
