"""The embedded DuckDB database: load input frames as tables, run the SQL models in sql/ in order."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

if TYPE_CHECKING:
    import pyarrow as pa

from dtoc.paths import SQL_DIR

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def connect(path: Path | None) -> duckdb.DuckDBPyConnection:
    """A connection to the database file (created if absent), or in memory when path is None."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path) if path else ":memory:")


def load_table(connection: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Replace table `name` with the frame's rows."""
    connection.register("incoming_frame", frame.to_arrow())
    try:
        connection.execute(f'create or replace table "{name}" as select * from incoming_frame')
    finally:
        connection.unregister("incoming_frame")


def model_sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def bound_parameters(sql: str, parameters: Mapping[str, object], where: str) -> dict[str, object]:
    """The subset of parameters the SQL text names as $name (DuckDB rejects unused ones); KeyError naming
    `where` if one is missing. The one binder of every SQL file the project runs."""
    used = set(PARAMETER.findall(re.sub(r"--[^\n]*", "", sql)))
    missing = used - parameters.keys()
    if missing:
        raise KeyError(f"{where} needs parameter(s) {sorted(missing)}")
    return {name: parameters[name] for name in sorted(used)}


def run_model(connection: duckdb.DuckDBPyConnection, name: str, parameters: Mapping[str, object]) -> None:
    """Create table `name` from sql/<name>.sql, binding only the $parameters the file uses."""
    query = model_sql(name).strip().rstrip(";")
    define_macros(connection)
    connection.execute(
        f'create or replace table "{name}" as {query}', bound_parameters(query, parameters, f"sql/{name}.sql")
    )


def define_macros(connection: duckdb.DuckDBPyConnection) -> None:
    """The rule's macros (sql/macros/band_rule.sql) for this connection (temporary: not stored in the database file)."""
    connection.execute((SQL_DIR / "macros" / "band_rule.sql").read_text(encoding="utf-8"))


def run_models(connection: duckdb.DuckDBPyConnection, names: tuple[str, ...], parameters: Mapping[str, object]) -> None:
    """Run the models in the order given."""
    for name in names:
        run_model(connection, name, parameters)


def query_sql(name: str) -> str:
    """The text of sql/queries/<name>.sql: a read-only query over a finished run's database."""
    return (SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


def run_query(
    connection: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, object] | None = None
) -> duckdb.DuckDBPyConnection:
    """Execute sql/queries/<name>.sql with the $parameters it names bound; the cursor is returned."""
    sql = query_sql(name)
    return connection.execute(sql, bound_parameters(sql, parameters or {}, f"sql/queries/{name}.sql"))


def row_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query, each a dict by column name."""
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def read_table(connection: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return frame_from_arrow(connection.sql(f'select * from "{name}"').to_arrow_table())


def frame_from_arrow(table: pa.Table) -> pl.DataFrame:
    """An Arrow table as a polars DataFrame (pl.from_arrow's declared result also allows a Series, which only an
    Arrow array would give)."""
    frame = pl.from_arrow(table)
    if not isinstance(frame, pl.DataFrame):
        raise TypeError(f"expected an Arrow table, got {type(table).__name__}")
    return frame
