"""Read and check a POLICIES CSV: one row per policy, its six Annex 3 numbers and optional inputs, into the
policies table (dtoc.scenarios.table). Every check happens before any data are read; a bad row stops the
command with one line naming the file, the row (as a spreadsheet numbers it) and the policy.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from dtoc.errors import DtocError
from dtoc.scenarios import table
from dtoc.scenarios.checks import check_band_rules, check_names, parse_numbers, with_checked_quarters
from dtoc.scenarios.table import MAX_FILE_BYTES, OPTIONAL, REQUIRED, SCHEMA, PolicySet


def check_header(header: list[str], path: Path) -> list[str]:
    names = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in REQUIRED + OPTIONAL]
    duplicated = sorted({c for c in names if names.count(c) > 1})
    if missing or unknown or duplicated:
        found = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
                f"repeated {', '.join(duplicated)}" if duplicated else "",
            )
            if part
        )
        raise DtocError(
            f"policies file {path}, row 1: the header needs the columns {', '.join(REQUIRED)} "
            f"(and optionally {', '.join(OPTIONAL)}); {found}"
        )
    return names


def describe_ragged_row(path: Path, width: int) -> str:
    """'row R: K values, ...' for the first row whose number of values is not the header's ('' if none)."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        for row, record in enumerate(csv.reader(handle), start=1):
            if record and len(record) != width:
                return f"row {row}: {len(record)} values, not {width} as in the header"
    return ""


def read_cells(path: Path) -> pl.DataFrame:
    """The CSV's cells as text (empty cells null), one row per non-blank line after the header, with its row
    number as a spreadsheet shows it (header = row 1)."""
    if not path.is_file():
        raise DtocError(f"policies file {path} does not exist")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DtocError(f"policies file {path} is larger than {MAX_FILE_BYTES // 2**20} MB; split the sweep")
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        header = next(csv.reader(handle), [])
    names = check_header(header, path)
    try:
        cells = pl.read_csv(
            path,
            infer_schema=False,
            has_header=False,
            skip_rows=1,
            new_columns=names,
            n_rows=table.MAX_POLICIES + 1,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DtocError(
            f"policies file {path}: "
            + (describe_ragged_row(path, len(names)) or f"not a readable UTF-8 CSV ({str(error).splitlines()[0]})")
        ) from None
    cells = (
        cells.with_row_index("row", offset=2)
        .with_columns(pl.col("row").cast(pl.Int64))
        .filter(~pl.all_horizontal(pl.col(names).is_null()))
    )
    if cells.height > table.MAX_POLICIES:
        raise DtocError(
            f"policies file {path} has more than {table.MAX_POLICIES:,} policies; split the sweep, "
            "e.g. by baseline quarter and population vintage"
        )
    if not cells.height:
        raise DtocError(f"policies file {path} holds no policy")
    return cells


def read_policies_csv(path: Path, default_baseline: str) -> PolicySet:
    """The policies of a POLICIES CSV, checked (names, numbers, band rule, quarters) before any data are read."""
    cells = read_cells(path)

    def where(row: int) -> str:
        name = (cells.filter(pl.col("row") == row)["policy"][0] or "").strip()
        return f"policies file {path}, row {row} (policy {name!r})"

    check_names(cells, where)
    numbers = parse_numbers(cells, where)
    check_band_rules(numbers, where)
    frame = numbers.with_columns(
        pl.col("policy").str.strip_chars(),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("policy_number"),
        *(
            pl.col(name).str.strip_chars().replace("", None)
            if name in cells.columns
            else pl.lit(None, pl.String).alias(name)
            for name in OPTIONAL
        ),
    ).select(list(SCHEMA))
    policies = PolicySet(frame, path, "policies file", cells["row"])
    policies.frame = with_checked_quarters(policies, default_baseline)
    return policies
