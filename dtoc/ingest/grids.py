"""The format readers behind dtoc.ingest.sheet_reader and the plans reader: one sheet of an .xls, .xlsx or CSV file
as a grid.

One row of the grid is one row of the sheet: grid[r][c] is the cell at Excel row r + 1, column c + 1 (so A1
is grid[0][0]), empty cells are None, and a row is as long as its last cell. Every format gives the same
values: numbers, text, True/False, dates as datetimes, and an Excel error as the text Excel shows ('#REF!').
Every reader keeps to the limits it is given (dtoc.ingest.limits, the workbooks' by default); given `rows`, it
returns only the sheet's first rows (enough to classify a file). A file whose name is not UTF-8 is refused.
"""

from __future__ import annotations

import io
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.csv_grids import check_width
from dtoc.ingest.csv_grids import read_csv_grid as read_csv_grid
from dtoc.ingest.limits import WORKBOOK, TableLimits, too_many_rows
from dtoc.ingest.text import check_file_name
from dtoc.ingest.xlsx_bounds import check_xlsx_bounds

PASSWORD_ADVICE = (
    "dtoc cannot read it: open it in Excel with its password, clear the password (File > Info > "
    "Protect Workbook > Encrypt with Password) and save it, or use the workbook as published"
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


def xls_values(sheet, row: int, datemode: int) -> list[object]:
    """One row of an xlrd sheet as the other formats give it: empty cells None, dates as datetimes, booleans
    as True/False and error cells as the text Excel shows ('#REF!'), not as the numbers xlrd stores them as."""
    import xlrd

    values, types = sheet.row_values(row), sheet.row_types(row)
    special = (xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR)
    if not any(kind in special for kind in types):
        return [None if value == "" else value for value in values]
    converted: list[object] = []
    for value, kind in zip(values, types, strict=True):
        if kind == xlrd.XL_CELL_DATE:
            value = xlrd.xldate.xldate_as_datetime(value, datemode)
        elif kind == xlrd.XL_CELL_BOOLEAN:
            value = bool(value)
        elif kind == xlrd.XL_CELL_ERROR:
            value = xlrd.error_text_from_code.get(value, f"#ERROR{value}")
        converted.append(None if value == "" else value)
    return converted


def read_xls_grid(
    path: Path, sheet_name: str, rows: int | None = None, limits: TableLimits = WORKBOOK
) -> list[list[object]]:
    check_file_name(path)
    book = open_xls(path)
    try:
        sheet = book.sheet_by_name(sheet_name)
        if rows is None and sheet.nrows > limits.rows:
            raise too_many_rows(str(path), sheet_name, limits)
        grid = []
        for r in range(min(sheet.nrows, rows if rows is not None else limits.rows)):
            values = xls_values(sheet, r, book.datemode)
            check_width(path, sheet_name, r, values, limits)
            grid.append(values)
        return grid
    finally:
        book.release_resources()


def read_xlsx_grid(
    path: Path, sheet_name: str, rows: int | None = None, limits: TableLimits = WORKBOOK
) -> list[list[object]]:
    """Every sheet is scanned against the limits first (openpyxl measures them all on opening); then the sheet is
    read in read-only mode, its stated dimensions ignored (a false <dimension> would pad every row)."""
    import openpyxl

    check_file_name(path)
    check_xlsx_bounds(path, limits)
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
