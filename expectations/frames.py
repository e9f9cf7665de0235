"""The check frames: small pandas tables computed in DuckDB by the SQL files in expectations/checks/.

Each frame is named after its SQL file and validated by the suite of the same name in expectations/suites/.
Every frame has a `location` column naming the file, sheet and cell or row (or the HWB) of each row.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

CHECKS_DIR = Path(__file__).with_name("checks")
PARAMETER_PATTERN = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def list_frame_names() -> list[str]:
    """The names of the check frames, one per SQL file, sorted."""
    return sorted(path.stem for path in CHECKS_DIR.glob("*.sql"))


def bind_parameters(sql: str, parameters: dict[str, object]) -> dict[str, object]:
    """The subset of parameters the SQL text names as $name (DuckDB rejects unused ones)."""
    names = sorted(set(PARAMETER_PATTERN.findall(sql)))
    missing = [name for name in names if name not in parameters]
    if missing:
        raise KeyError(f"check SQL needs parameters {missing}")
    return {name: parameters[name] for name in names}


def read_check_frame(connection: duckdb.DuckDBPyConnection, name: str,
                     parameters: dict[str, object]) -> pd.DataFrame:
    """One check frame: the result of checks/<name>.sql with its $parameters bound."""
    sql = (CHECKS_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return connection.execute(sql, bind_parameters(sql, parameters)).df()


def read_check_frames(database_path: Path, parameters: dict[str, object]) -> dict[str, pd.DataFrame]:
    """Every check frame of the database at database_path (opened read-only), by name."""
    with duckdb.connect(str(database_path), read_only=True) as connection:
        return {name: read_check_frame(connection, name, parameters) for name in list_frame_names()}
