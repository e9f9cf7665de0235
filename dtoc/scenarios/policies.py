"""Read and check a POLICIES CSV: one row per policy, its six Annex 3 numbers and optional inputs, into the
policies table (dtoc.scenarios.table). Every check happens before any data are read; a bad row stops the
command with one line naming the file, the row (as a spreadsheet numbers it) and the policy. The file is UTF-8
and comma-separated (a ';' export gets the one advice every CSV reader gives); blank lines are skipped and do
not count towards the bound on policies, which is checked on what is read, so no row is ever dropped.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from dtoc.errors import DtocError, InputError
from dtoc.ingest import limits
from dtoc.ingest.csv_grids import SNIFF_CHARS, check_separator
from dtoc.ingest.text import UTF16_MARKS, check_file_name
from dtoc.scenarios.checks import check_band_rules, check_names, parse_numbers, with_checked_quarters
from dtoc.scenarios.table import OPTIONAL, REQUIRED, SCHEMA, PolicySet


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


def check_file(path: Path) -> tuple[list[str], int]:
    """The header's column names and its length in bytes, once the file is known to exist, to be within the
    size bound, to have a UTF-8 name and to be comma-separated UTF-8 text (not UTF-16, as Excel's 'Unicode
    Text' export is)."""
    check_file_name(path, "policies file")
    if not path.is_file():
        raise DtocError(f"policies file {path} does not exist")
    if path.stat().st_size > limits.MAX_POLICIES_FILE_BYTES:
        raise DtocError(
            f"policies file {path} is larger than {limits.describe_bytes(limits.MAX_POLICIES_FILE_BYTES)}; split the sweep"
        )
    with path.open("rb") as handle:
        head = handle.read(SNIFF_CHARS)
        handle.seek(0)
        header = handle.readline(limits.MAX_CSV_LINE_CHARS)
    if head[:2] in UTF16_MARKS:
        raise InputError(
            "is UTF-16 text (it starts with a UTF-16 byte-order mark, as Excel's 'Unicode Text' export does); "
            "dtoc reads policies as UTF-8: save it as 'CSV UTF-8 (Comma delimited)'",
            file=str(path),
        )
    check_separator(path, head.decode("utf-8", "replace"), advice="")
    return check_header(next(csv.reader([header.decode("utf-8-sig", "replace")]), []), path), len(header)


def blank_lines_after(path: Path, offset: int) -> int | None:
    """How many blank lines follow the header (which ends at byte `offset`); None if nothing else does."""
    blank = 0
    with path.open("rb") as handle:
        handle.seek(offset)
        while chunk := handle.read(2**20):
            rest = chunk.lstrip(b" \t\r\n")
            if rest:
                return blank + chunk[: len(chunk) - len(rest)].count(b"\n")
            blank += chunk.count(b"\n")
    return None


def scan_cells(path: Path, names: list[str], blank: int) -> pl.DataFrame:
    """At most MAX_POLICIES + 1 non-blank rows after the header and the `blank` lines below it, as text."""
    try:
        return (
            pl.scan_csv(
                path,
                has_header=False,
                skip_lines=1 + blank,
                schema=dict.fromkeys(names, pl.String),
                raise_if_empty=False,
            )
            .with_row_index("row", offset=2 + blank)
            .filter(~pl.all_horizontal(pl.col(names).is_null()))
            .head(limits.MAX_POLICIES + 1)
            .collect()
        )
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DtocError(
            f"policies file {path}: "
            + (describe_ragged_row(path, len(names)) or f"not a readable UTF-8 CSV ({str(error).splitlines()[0]})")
        ) from None


def read_cells(path: Path) -> pl.DataFrame:
    """The CSV's cells as text (empty cells null), one row per non-blank line after the header, with its row
    number as a spreadsheet shows it (header = row 1). Blank lines are skipped before the policies are counted."""
    names, header_bytes = check_file(path)
    blank = blank_lines_after(path, header_bytes)
    cells = scan_cells(path, names, blank) if blank is not None else None
    if cells is None or not cells.height:
        raise DtocError(f"policies file {path} holds no policies: it has a header but no policy rows")
    if cells.height > limits.MAX_POLICIES:
        raise DtocError(
            f"policies file {path} has more than {limits.MAX_POLICIES:,} policies; split the sweep, "
            "e.g. by baseline quarter and population vintage"
        )
    return cells.with_columns(pl.col("row").cast(pl.Int64))


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
