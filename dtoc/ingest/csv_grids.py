"""CSV exports of a sheet, read as a grid like dtoc.ingest.grids reads workbooks (grid[r][c] is row r + 1,
column c + 1; blank cells None), within the limits given: UTF-8 (with or without a byte-order mark), UTF-16 with
one (Excel's 'Unicode Text' export), else Windows-1252; comma- or tab-separated. A file with ';' between values
is refused with SEMICOLON_ADVICE, the one wording every CSV reader gives (run, assure, split, scenarios).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.limits import MAX_CSV_LINE_CHARS, WORKBOOK, TableLimits, too_many_columns, too_many_rows
from dtoc.ingest.text import check_file_name, csv_encoding

SNIFF_CHARS = 65536  # the start of a CSV file, where its separator is judged
SEMICOLON_ADVICE = (
    "it looks like a CSV export with ';' between values (as Excel writes CSV where the decimal "
    "mark is a comma); dtoc reads only comma-separated CSV, where '34,3' cannot pass for 343: "
    "export the sheet again as 'CSV UTF-8 (Comma delimited)'"
)
WORKBOOK_ALTERNATIVE = ", or use the .xls/.xlsx workbook"  # added where the reader also takes workbooks


def check_width(path: Path, sheet: str | None, row_index: int, values: Sequence[object], limits: TableLimits) -> None:
    if len(values) > limits.columns and any(v not in (None, "") for v in values[limits.columns :]):
        raise too_many_columns(str(path), sheet, row_index + 1, limits)


def read_csv_grid(
    path: Path, sheet_name: str | None, rows: int | None = None, limits: TableLimits = WORKBOOK
) -> list[list[object]]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252; comma- or tab-separated."""
    check_file_name(path)
    encoding = csv_encoding(path)
    try:
        return read_csv_rows(path, sheet_name, encoding, rows, limits)
    except UnicodeDecodeError:
        if encoding == "utf-16":
            raise InputError("starts with a UTF-16 byte-order mark but is not UTF-16 text", file=str(path)) from None
        return read_csv_rows(path, sheet_name, "cp1252", rows, limits)


def check_separator(path: Path, head: str, advice: str = WORKBOOK_ALTERNATIVE) -> None:
    """InputError (SEMICOLON_ADVICE, then `advice`) for a CSV whose start has more ';' than ',' or tabs."""
    if head.count(";") > max(head.count(","), head.count("\t")):
        raise InputError(SEMICOLON_ADVICE + advice, file=str(path))


def read_csv_rows(
    path: Path, sheet_name: str | None, encoding: str, rows: int | None, limits: TableLimits
) -> list[list[object]]:
    with path.open(newline="", encoding=encoding) as handle:
        head = handle.read(SNIFF_CHARS)
        check_separator(path, head)
        handle.seek(0)
        dialect = csv.excel_tab if head.count("\t") > head.count(",") else csv.excel
        grid: list[list[object]] = []
        for values in csv.reader(bounded_lines(path, handle), dialect):
            if rows is not None and len(grid) >= rows:
                break
            if len(grid) >= limits.rows:
                raise too_many_rows(str(path), sheet_name, limits)
            check_width(path, sheet_name, len(grid), values, limits)
            grid.append([value if value.strip() else None for value in values])
        return grid


def bounded_lines(path: Path, handle):
    """The file's lines, refusing one longer than MAX_CSV_LINE_CHARS before it is held whole."""
    for number, line in enumerate(iter(lambda: handle.readline(MAX_CSV_LINE_CHARS + 1), ""), start=1):
        if len(line) > MAX_CSV_LINE_CHARS:
            raise InputError(
                f"line {number:,} is longer than {MAX_CSV_LINE_CHARS:,} characters, the limit for a "
                "line of a CSV input (the published sheets exported as CSV have lines under 2,000); "
                "it was not read further",
                file=str(path),
            )
        yield line
