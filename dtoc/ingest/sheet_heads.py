"""The first rows of every sheet of a workbook: what is read to find a table by its content, and no more.

One entry per sheet: its name -> grid, grid[r][c] the cell at Excel row r + 1, column c + 1, empty cells None,
at most `rows` rows. The limits of any read apply (dtoc.ingest.grids): an .xlsx is checked against them first.
xlrd parses a whole sheet to give any of its rows (about 10 ms for a 450-row MYE sheet, 0.1 s for a release's
13 sheets), so an .xls sheet's records are read only up to the first cell past the rows wanted (bounded_records).
"""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.grids import check_width, open_xls, read_csv_grid, xls_values
from dtoc.ingest.limits import WORKBOOK
from dtoc.ingest.sheet_reader import file_kind, sheet_names
from dtoc.ingest.xlsx_bounds import check_xlsx_bounds


def read_heads(path: Path, rows: int) -> dict[str, list[list[object]]]:
    """The first `rows` rows of every sheet, by sheet name (a CSV file is one sheet, named after the file)."""
    names, kind = sheet_names(path), file_kind(path)
    try:
        if kind == "xls":
            return xls_heads(path, names, rows)
        if kind == "xlsx":
            return xlsx_heads(path, rows)
        return {names[0]: read_csv_grid(path, names[0], rows)}
    except InputError:
        raise
    except Exception as error:  # xlrd/openpyxl raise many types for damaged files
        raise InputError(f"cannot be read ({type(error).__name__}: {error})", file=str(path)) from error


def xls_heads(path: Path, names: list[str], rows: int) -> dict[str, list[list[object]]]:
    """The workbook is opened once; each sheet is loaded up to its first rows, kept, and unloaded."""
    book = open_xls(path)
    try:
        heads = {}
        for name in names:
            book.get_record_parts = bounded_records(book.get_record_parts, rows)
            try:
                sheet = book.sheet_by_name(name)
            finally:
                del book.get_record_parts  # xlrd's own reader again
            values = [xls_values(sheet, r, book.datemode) for r in range(min(sheet.nrows, rows))]
            for r, row in enumerate(values):
                check_width(path, name, r, row, WORKBOOK)
            heads[name] = values
            book.unload_sheet(name)
        return heads
    finally:
        book.release_resources()


def xlsx_heads(path: Path, rows: int) -> dict[str, list[list[object]]]:
    """Every sheet is scanned against the limits first (openpyxl measures them all on opening); chart sheets,
    which hold no cells, are left out."""
    import openpyxl

    check_xlsx_bounds(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        heads = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            first = itertools.islice(sheet.iter_rows(values_only=True), rows)
            heads[sheet.title] = [[None if value == "" else value for value in row] for row in first]
        return heads
    finally:
        book.close()


def bounded_records(read_record, rows: int):
    """xlrd's record reader (Book.get_record_parts, which Sheet.read calls for each record of the sheet), ending
    the sheet (an EOF record) at its first cell record past `rows`: cells come row by row (BIFF8 writes the
    rows' cells in order, in blocks of 32 rows), so the first rows are read whole and the rest is never parsed."""
    from xlrd import biffh

    cell_records = {
        biffh.XL_NUMBER, biffh.XL_RK, biffh.XL_MULRK, biffh.XL_LABELSST, biffh.XL_LABEL, biffh.XL_RSTRING,
        biffh.XL_BLANK, biffh.XL_MULBLANK, biffh.XL_BOOLERR, biffh.XL_FORMULA, biffh.XL_FORMULA3, biffh.XL_FORMULA4,
    }  # fmt: skip

    def read() -> tuple[int, int, bytes]:
        code, length, data = read_record()
        if code in cell_records and length >= 2 and struct.unpack("<H", data[:2])[0] >= rows:
            return biffh.XL_EOF, 0, b""
        return code, length, data

    return read
