"""Read a plans or shares file (CSV, .xlsx or .xls) as named rows, each with the row number a spreadsheet shows.

Bounded by design: the file's size, its rows, its columns and each text cell have limits no real file comes
near (151 HWBs x 12 months is 1,812 plan rows); past one, the file is refused, before reading the rest.
Row 1 is the header (names compared in lower case, spaces trimmed); wholly empty rows are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.workbook import file_kind

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 64
MAX_TEXT = 2_000


@dataclass(frozen=True)
class Rows:
    """The rows of one sheet: (row number, {column: value}) with the header's columns; sheet None for CSV."""

    file: Path
    sheet: str | None
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, object]]]

    def error(self, message: str, row: int | None = None) -> InputError:
        return InputError(message, file=str(self.file), sheet=self.sheet, row=row)


def read_rows(path: Path, sheet_name: str, required: tuple[str, ...]) -> Rows:
    """The file's rows; for a workbook, the sheet named sheet_name (any case) or else the first sheet.
    InputError if the file is too large, unreadable, or lacks one of the required columns."""
    if not path.is_file():
        raise InputError("not found (or not a file)", file=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"is {path.stat().st_size:,} bytes, more than the limit of {MAX_BYTES:,}", file=str(path))
    kind = file_kind(path)
    try:
        sheet, grid = {"csv": read_csv, "xlsx": read_xlsx, "xls": read_xls}[kind](path, sheet_name)
    except InputError:
        raise
    except Exception as error:  # csv, openpyxl and xlrd raise many types for damaged files
        raise InputError(f"cannot be read ({type(error).__name__}: {error})", file=str(path)) from error
    return named_rows(path, sheet, grid, required)


def named_rows(path: Path, sheet: str | None, grid: list[list[object]], required: tuple[str, ...]) -> Rows:
    """The grid's first row as column names, every other non-empty row as a dict, with its row number."""
    header = [str(cell).strip().lower() if cell is not None else "" for cell in (grid[0] if grid else [])]
    found = Rows(path, sheet, tuple(header), [])
    missing = [name for name in required if name not in header]
    if missing:
        raise found.error(
            f"missing column(s) {', '.join(missing)} in the header row (row 1); found "
            f"{', '.join(repr(h) for h in header if h) or 'none'}"
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise found.error(f"column(s) {', '.join(repeated)} appear more than once in the header row (row 1)")
    for number, cells in enumerate(grid[1:], start=2):
        values = [clean(cell) for cell in cells]
        if any(v is not None for v in values):
            found.rows.append((number, {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}))
    return found


def clean(cell: object) -> object:
    """Blank text becomes None; other text is trimmed."""
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


def check_bounds(path: Path, number: int, cells: list | tuple, sheet: str | None) -> None:
    if number > MAX_ROWS + 1:
        raise InputError(f"has more than {MAX_ROWS:,} rows, the limit", file=str(path), sheet=sheet)
    if len(cells) > MAX_COLUMNS and any(c not in (None, "") for c in cells[MAX_COLUMNS:]):
        raise InputError(f"has more than {MAX_COLUMNS} columns, the limit", file=str(path), sheet=sheet, row=number)
    long = next((c for c in cells if isinstance(c, str) and len(c) > MAX_TEXT), None)
    if long is not None:
        raise InputError(
            f"a cell holds {len(long):,} characters, more than the limit of {MAX_TEXT:,}",
            file=str(path),
            sheet=sheet,
            row=number,
        )


def read_csv(path: Path, sheet_name: str) -> tuple[None, list[list[object]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    grid: list[list[object]] = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        check_bounds(path, number, cells, None)
        grid.append(list(cells))
    return None, grid


def choose_sheet(names: list[str], sheet_name: str) -> str:
    return next((n for n in names if n.strip().lower() == sheet_name), names[0])


def read_xlsx(path: Path, sheet_name: str) -> tuple[str, list[list[object]]]:
    """Streamed (read-only): a sheet with a million rows is refused after MAX_ROWS, not read to the end."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = choose_sheet(book.sheetnames, sheet_name)
        grid = []
        for number, cells in enumerate(book[sheet].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            check_bounds(path, number, cells, sheet)
            grid.append(list(cells))
        return sheet, grid
    finally:
        book.close()


def read_xls(path: Path, sheet_name: str) -> tuple[str, list[list[object]]]:
    """A legacy workbook; dates come back as Excel serial numbers, so they are converted here."""
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
    try:
        name = choose_sheet(book.sheet_names(), sheet_name)
        sheet = book.sheet_by_name(name)
        check_bounds(path, sheet.nrows, [], name)
        grid = []
        for r in range(sheet.nrows):
            cells = [xls_value(cell, book.datemode) for cell in sheet.row(r)[: MAX_COLUMNS + 1]]
            check_bounds(path, r + 1, cells, name)
            grid.append(cells)
        return name, grid
    finally:
        book.release_resources()


def xls_value(cell, datemode: int) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return f"#ERROR {cell.value}"
    return cell.value
