"""Reading a finished publication back: its expectations table, checked, a damaged file named in one line."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.errors import DtocError
from dtoc.vocabulary import ATTRIBUTIONS

EXPECTATIONS_FILE = "expectations.parquet"
# the columns the commands that build on a publication read (monitor, assure, split, diff)
EXPECTATION_COLUMNS = (
    "hwb_code",
    "hwb_name",
    *(a.column(stage, "daily") for stage in ("baseline", "expected") for a in ATTRIBUTIONS),
    "expected_total_daily",
)


def read_published_expectations(path: Path) -> pl.DataFrame:
    """A published expectations.parquet, checked for the columns monitoring needs, one row per HWB; a file that
    cannot be read (a damaged publication) is one line naming it."""
    try:
        table = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DtocError(f"{path} cannot be read ({first_line}); publish it again with `dtoc run`") from error
    absent = [c for c in EXPECTATION_COLUMNS if c not in table.columns]
    if absent:
        raise DtocError(f"{path} lacks the column(s) {', '.join(absent)}; publish it again with `dtoc run`")
    if (
        table["hwb_code"].is_duplicated().any()
        or table.select(EXPECTATION_COLUMNS).null_count().sum_horizontal().item()
    ):
        raise DtocError(f"{path} has repeated HWB codes or empty figures; publish it again with `dtoc run`")
    return table
