"""The sweep in DuckDB: every policy against every HWB in one database, set-wise, through the shared models.

The policies go into `main.policies` (one row per policy: name, number, group, six numbers, baseline,
vintage). Each group's schema gets a `policies` view of its own policies and `banding` as a view over
sql/banding.sql, the file `dtoc run` also runs, so a sweep and a run cannot apply different rules; then
sql/scenario_hwb.sql (view) and sql/scenario_summary.sql (table, one row per policy). The long form is written
straight from DuckDB to Parquet (COPY, sorted by policy then HWB, spilling to disk past the memory limit);
`main.scenarios` (sql/scenarios.sql) is the one-row-per-policy table returned.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import BANDED_RULE, HELD_RULE, POLICY_FIELDS
from dtoc.model import database
from dtoc.scenarios.groups import Group
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS

SCENARIO_MODELS = ("scenario_hwb", "scenario_summary", "scenarios")
MEMORY_LIMIT = "1GB"
POLICY_COLUMNS = ("policy", *(f"{a.short}_{name}" for a in BANDED for name in POLICY_FIELDS))


def connect_sweep(path: Path) -> duckdb.DuckDBPyConnection:
    """The sweep's database file; DuckDB keeps under MEMORY_LIMIT and spills to a folder beside the file."""
    connection = database.connect(path)
    database.define_macros(connection)
    connection.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
    connection.execute("set preserve_insertion_order = true")
    return connection


def sql_list(values: list[str]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def create_types(connection: duckdb.DuckDBPyConnection, groups: list[Group]) -> None:
    """ENUM types for policy names (in the order of the POLICIES file), HWB codes and bands, so the long form
    sorts and writes as small integers; `main.policies.policy` becomes a policy_name."""
    connection.execute("create type policy_name as enum (select policy from policies order by policy_number)")
    connection.execute("alter table policies alter policy set data type policy_name")
    codes = " union ".join(f"select hwb_code from {g.schema}.rates" for g in groups)
    connection.execute(f"create type hwb_code_value as enum (select hwb_code from ({codes}) order by hwb_code)")
    connection.execute(f"create type band_value as enum ({sql_list(list(BANDS))})")


def create_model(connection: duckdb.DuckDBPyConnection, name: str, kind: str) -> None:
    """A view or table `name` from sql/<name>.sql, in the current schema (these models bind no parameters)."""
    connection.execute(f'create {kind} "{name}" as {database.model_sql(name).strip().rstrip(";")}')


def build_group_models(connection: duckdb.DuckDBPyConnection, group: Group) -> None:
    """The group's policies, banding (the run's model), its long form and its per-policy summary."""
    connection.execute(f"use {group.schema}")
    connection.execute(f"create view policies as {long_policies_sql(group.index)}")
    create_model(connection, "banding", "view")
    create_model(connection, "scenario_hwb", "view")
    create_model(connection, "scenario_summary", "table")
    connection.execute("use main")


def long_policies_sql(group_index: int) -> str:
    """The group's policies in the long form sql/banding.sql reads, one row per policy and attribution of the
    vocabulary (the sweep keeps them side by side in main.policies, as the POLICIES file has them)."""
    where = f"from main.policies where group_index = {group_index:d}"
    parts = [
        f"select policy, '{a.short}' as attribution, '{BANDED_RULE}' as rule, "
        + ", ".join(f"{a.short}_{name} as {name}" for name in POLICY_FIELDS)
        + f" {where}"
        if a.banded
        else f"select policy, '{a.short}', '{HELD_RULE}', " + ", ".join(["null"] * len(POLICY_FIELDS)) + f" {where}"
        for a in ATTRIBUTIONS
    ]
    return " union all ".join(parts)


def union_view(connection: duckdb.DuckDBPyConnection, name: str, source: str, groups: list[Group]) -> None:
    connection.execute(
        f"create view {name} as " + " union all ".join(f"select * from {g.schema}.{source}" for g in groups)
    )


def copy_long_form(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """scenarios_hwb.parquet: one row per policy and HWB, by policy (input order) then HWB code."""
    target = str(path).replace("'", "''")
    connection.execute(
        f"copy (select * replace (policy::varchar as policy) from (select * from scenario_hwb_all "
        f"order by policy, hwb_code)) to '{target}' (format parquet)"
    )


def run_sweep(
    connection: duckdb.DuckDBPyConnection, policies: pl.DataFrame, groups: list[Group], long_form: Path
) -> pl.DataFrame:
    """Every policy on every HWB (groups already loaded): writes the long form, returns `scenarios`."""
    database.load_table(connection, "policies", policies)
    create_types(connection, groups)
    for group in groups:
        build_group_models(connection, group)
    union_view(connection, "scenario_hwb_all", "scenario_hwb", groups)
    union_view(connection, "scenario_summaries", "scenario_summary", groups)
    create_model(connection, "scenarios", "table")
    copy_long_form(connection, long_form)
    return database.read_table(connection, "scenarios")
