"""Read a plans or shares file (CSV, .xlsx or .xls) as named rows, each with the row number a spreadsheet shows.

The sheet is read by the readers `dtoc run` uses (dtoc.ingest.grids), within the plans limits of
dtoc.ingest.limits: an .xlsx is scanned against them before openpyxl opens it, a CSV may be UTF-8, UTF-16 or
Windows-1252 and is refused with the one ';' advice, an Excel error reads as '#REF!'. Bounded by design: the
file's size, its rows, its columns and each text cell have limits no real file comes near; past one, the file is
refused before the rest is read. Row 1 is the header (names compared in lower case, spaces trimmed); rows
without a visible character are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest import limits
from dtoc.ingest.grids import open_xls, read_csv_grid, read_xls_grid, read_xlsx_grid
from dtoc.ingest.sheet_reader import file_kind
from dtoc.ingest.text import check_file_name, visible
from dtoc.ingest.xlsx_bounds import xlsx_sheet_names


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
    check_file_name(path)
    if not path.is_file():
        raise InputError("not found (or not a file)", file=str(path))
    limits.check_file_size(path, limits.PLANS)
    try:
        sheet, grid = read_grid(path, sheet_name)
    except InputError:
        raise
    except Exception as error:  # csv, openpyxl and xlrd raise many types for damaged files
        raise InputError(f"cannot be read ({type(error).__name__}: {error})", file=str(path)) from error
    check_text_lengths(path, sheet, grid)
    return named_rows(path, sheet, grid, required)


def read_grid(path: Path, sheet_name: str) -> tuple[str | None, list[list[object]]]:
    """(the sheet read, its grid): a CSV file is one sheet (None); a workbook's sheet is chosen by name."""
    kind = file_kind(path)
    if kind == "csv":
        return None, read_csv_grid(path, None, limits=limits.PLANS)
    if kind == "xlsx":
        sheet = choose_sheet(xlsx_sheet_names(path), sheet_name)
        return sheet, read_xlsx_grid(path, sheet, limits=limits.PLANS)
    book = open_xls(path)
    try:
        sheet = choose_sheet(book.sheet_names(), sheet_name)
    finally:
        book.release_resources()
    return sheet, read_xls_grid(path, sheet, limits=limits.PLANS)


def choose_sheet(names: list[str], sheet_name: str) -> str:
    return next((n for n in names if n.strip().lower() == sheet_name), names[0])


def check_text_lengths(path: Path, sheet: str | None, grid: list[list[object]]) -> None:
    for number, cells in enumerate(grid, start=1):
        long = next((c for c in cells if isinstance(c, str) and len(c) > limits.MAX_CELL_CHARS), None)
        if long is not None:
            raise InputError(
                f"a cell holds {len(long):,} characters, more than the limit of {limits.MAX_CELL_CHARS:,}",
                file=str(path),
                sheet=sheet,
                row=number,
            )


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
    """Text without a visible character (blank, or only spaces and zero-width characters) becomes None; other
    text is trimmed."""
    return visible(cell) if isinstance(cell, str) else cell
