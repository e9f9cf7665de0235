"""Read one sheet of a published workbook (.xls, .xlsx or a CSV export) as a grid that keeps Excel's positions.

grid[r][c] is the cell at Excel row r + 1, column c + 1 (so A1 is grid[0][0]); empty cells are None.
The reader is chosen from the file's first bytes, not its name: a file named .xls that is not one is an error.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from dtoc.errors import InputError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells; rows may be ragged (missing trailing cells are empty)."""

    file: Path
    name: str
    grid: list[list[object]]

    def value(self, row: int, col: int) -> object:
        cells = self.grid[row] if row < len(self.grid) else []
        return cells[col] if col < len(cells) else None


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> Excel A1 reference."""
    letters, number = "", col + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"


def normalise_label(text: object) -> str:
    """Lower case with spaces, hyphens and underscores removed: 'LA - By Responsible Org' -> 'labyresponsibleorg'."""
    return re.sub(r"[\s\-_]+", "", str(text or "")).lower()


def file_kind(path: Path) -> str:
    """'xls', 'xlsx' or 'csv' from the file's content; InputError for empty or unrecognised files."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", file=str(path)) from error
    if not head:
        raise InputError("the file is empty (0 bytes)", file=str(path))
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if path.suffix.lower() in (".csv", ".txt"):
        return "csv"
    raise InputError(f"is not an Excel workbook (it starts with {head[:8]!r}); expected a legacy .xls "
                     "(OLE2) or an .xlsx (zip) file", file=str(path))


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook; a CSV file is one sheet named after the file."""
    kind = file_kind(path)
    try:
        if kind == "xls":
            import xlrd
            return xlrd.open_workbook(str(path), on_demand=True).sheet_names()
        if kind == "xlsx":
            import openpyxl
            book = openpyxl.load_workbook(path, read_only=True)
            try:
                return list(book.sheetnames)
            finally:
                book.close()
    except Exception as error:  # xlrd/openpyxl raise many types for damaged files
        raise InputError(f"is not a readable workbook ({type(error).__name__}: {error})", file=str(path)) from error
    return [path.stem]


def read_sheet(path: Path, accept: Callable[[str], bool], description: str) -> Sheet:
    """The first sheet whose name `accept`s; InputError naming the sheets present if none does."""
    names, kind = sheet_names(path), file_kind(path)
    # a CSV export holds one sheet's cells: it is the sheet asked for
    chosen = names[0] if kind == "csv" else next((name for name in names if accept(name)), None)
    if chosen is None:
        raise InputError(f"no sheet {description}; sheets present: {', '.join(repr(n) for n in names)}",
                         file=str(path))
    try:
        grid = {"xls": read_xls_grid, "xlsx": read_xlsx_grid, "csv": read_csv_grid}[kind](path, chosen)
    except InputError:
        raise
    except Exception as error:
        raise InputError(f"cannot be read ({type(error).__name__}: {error})", file=str(path), sheet=chosen) from error
    return Sheet(path, chosen, grid)


def read_xls_grid(path: Path, sheet_name: str) -> list[list[object]]:
    import xlrd
    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sheet = book.sheet_by_name(sheet_name)
        return [[None if value == "" else value for value in sheet.row_values(r)] for r in range(sheet.nrows)]
    finally:
        book.release_resources()


def read_xlsx_grid(path: Path, sheet_name: str) -> list[list[object]]:
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        sheet = book[sheet_name]
        return [[None if value == "" else value for value in row]
                for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    finally:
        book.close()


def read_csv_grid(path: Path, sheet_name: str) -> list[list[object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return [[cell if cell.strip() else None for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
