"""The format readers behind dtoc.ingest.workbook: one sheet of an .xls, .xlsx or CSV file as a grid.

One row of the grid is one row of the sheet: grid[r][c] is the cell at Excel row r + 1, column c + 1 (so A1
is grid[0][0]), empty cells are None, and a row is as long as its last cell. Every reader keeps to the limits
in dtoc.ingest.limits; given `rows`, it returns only the sheet's first rows (enough to classify a file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.limits import MAX_COLUMNS, MAX_CSV_LINE_CHARS, MAX_ROWS, too_many_columns, too_many_rows
from dtoc.ingest.xlsx_bounds import check_xlsx_bounds

PASSWORD_ADVICE = (
    "dtoc cannot read it: open it in Excel with its password, clear the password (File > Info > "
    "Protect Workbook > Encrypt with Password) and save it, or use the workbook as published"
)
SNIFF_CHARS = 65536  # the start of a CSV file, where its separator is judged
SEMICOLON_ADVICE = (
    "it looks like a CSV export with ';' between values (as Excel writes CSV where the decimal "
    "mark is a comma); dtoc reads only comma-separated CSV, where '34,3' cannot pass for 343: "
    "export the sheet again as 'CSV UTF-8 (Comma delimited)', or use the .xls/.xlsx workbook"
)


def has_encrypted_package(path: Path) -> bool:
    """An OLE2 file holding an 'EncryptedPackage' stream: a password-protected .xlsx, .xlsm or .docx."""
    import os

    from xlrd.compdoc import CompDoc

    try:
        with open(os.devnull, "w") as quiet:
            return "EncryptedPackage" in {entry.name for entry in CompDoc(path.read_bytes(), logfile=quiet).dirlist}
    except Exception:  # not a readable OLE2 container: xlrd's own error says more
        return False


def open_xls(path: Path):
    """xlrd's workbook (sheets loaded on demand); a password-protected file is named as such."""
    import xlrd

    try:  # xlrd's warnings about a damaged file go nowhere: the error that follows names the file once
        return xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise InputError(
                f"is a password-protected (encrypted) .xls workbook; {PASSWORD_ADVICE}", file=str(path)
            ) from None
        if has_encrypted_package(path):
            raise InputError(
                f"is a password-protected (encrypted) .xlsx workbook; {PASSWORD_ADVICE}", file=str(path)
            ) from None
        raise


def check_width(path: Path, sheet_name: str, row_index: int, values: Sequence[object]) -> None:
    if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
        raise too_many_columns(str(path), sheet_name, row_index + 1)


def read_xls_grid(path: Path, sheet_name: str, rows: int | None = None) -> list[list[object]]:
    book = open_xls(path)
    try:
        sheet = book.sheet_by_name(sheet_name)
        if rows is None and sheet.nrows > MAX_ROWS:
            raise too_many_rows(str(path), sheet_name)
        grid = []
        for r in range(min(sheet.nrows, rows if rows is not None else MAX_ROWS)):
            values = sheet.row_values(r)
            check_width(path, sheet_name, r, values)
            grid.append([None if value == "" else value for value in values])
        return grid
    finally:
        book.release_resources()


def read_xlsx_grid(path: Path, sheet_name: str, rows: int | None = None) -> list[list[object]]:
    """Every sheet is scanned against the limits first (openpyxl measures them all on opening); then the sheet is
    read in read-only mode, its stated dimensions ignored (a false <dimension> would pad every row)."""
    import openpyxl

    check_xlsx_bounds(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[sheet_name]
        sheet.reset_dimensions()
        grid: list[list[object]] = []
        for values in sheet.iter_rows(values_only=True):
            if rows is not None and len(grid) >= rows:
                break
            grid.append([None if value == "" else value for value in values])
        return grid
    finally:
        book.close()


def read_csv_grid(path: Path, sheet_name: str, rows: int | None = None) -> list[list[object]]:
    """UTF-8 (with or without a byte-order mark), else Windows-1252; comma- or tab-separated."""
    try:
        return read_csv_rows(path, sheet_name, "utf-8-sig", rows)
    except UnicodeDecodeError:
        return read_csv_rows(path, sheet_name, "cp1252", rows)


def read_csv_rows(path: Path, sheet_name: str, encoding: str, rows: int | None) -> list[list[object]]:
    with path.open(newline="", encoding=encoding) as handle:
        head = handle.read(SNIFF_CHARS)
        if head.count(";") > max(head.count(","), head.count("\t")):
            raise InputError(SEMICOLON_ADVICE, file=str(path))
        handle.seek(0)
        dialect = csv.excel_tab if head.count("\t") > head.count(",") else csv.excel
        grid: list[list[object]] = []
        for values in csv.reader(bounded_lines(path, handle), dialect):
            if rows is not None and len(grid) >= rows:
                break
            if len(grid) >= MAX_ROWS:
                raise too_many_rows(str(path), sheet_name)
            check_width(path, sheet_name, len(grid), values)
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
