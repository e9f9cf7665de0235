"""The check frames: small pandas tables computed in DuckDB by the SQL files in expectations/checks/.

Each frame is named after its SQL file and validated by the suite of the same name in expectations/suites/.
Every frame has a `location` column naming the file, sheet and cell or row (or the HWB) of each row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dtoc.model.database import bound_parameters

CHECKS_DIR = Path(__file__).with_name("checks")


def list_frame_names() -> list[str]:
    """The names of the check frames, one per SQL file, sorted."""
    return sorted(path.stem for path in CHECKS_DIR.glob("*.sql"))


def read_check_frame(connection: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, object]) -> pd.DataFrame:
    """One check frame: the result of checks/<name>.sql with its $parameters bound."""
    sql = (CHECKS_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return connection.execute(sql, bound_parameters(sql, parameters, f"expectations/checks/{name}.sql")).df()
