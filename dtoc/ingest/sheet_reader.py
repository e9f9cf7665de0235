"""Read one sheet of a published workbook (.xls, .xlsx or a CSV export) as a grid that keeps Excel's positions.

grid[r][c] is the cell at Excel row r + 1, column c + 1 (so A1 is grid[0][0]); empty cells are None.
The reader is chosen from the file's first bytes, not its name: a file named .xls that is not one is an error.
The sheet is chosen by its published name, ignoring case only; every read keeps to dtoc.ingest.limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.grids import open_xls, read_csv_grid, read_xls_grid, read_xlsx_grid
from dtoc.ingest.limits import check_file_size
from dtoc.ingest.xlsx_bounds import xlsx_sheet_names

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
    raise InputError(
        f"is not an Excel workbook (it starts with {head[:8]!r}); expected a legacy .xls (OLE2) or an .xlsx (zip) file",
        file=str(path),
    )


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook; a CSV file is one sheet named after the file."""
    kind = file_kind(path)
    check_file_size(path)
    try:
        if kind == "xls":
            book = open_xls(path)
            try:
                return book.sheet_names()
            finally:
                book.release_resources()
        if kind == "xlsx":
            return xlsx_sheet_names(path)
    except InputError:
        raise
    except Exception as error:  # xlrd/zipfile raise many types for damaged files
        raise InputError(f"is not a readable workbook ({type(error).__name__}: {error})", file=str(path)) from error
    return [path.stem]


def matching_sheets(names: list[str], spellings: tuple[str, ...]) -> list[str]:
    """The sheets whose name is one of the published spellings, ignoring case only: 'LA - By Responsible Org'
    matches 'LA - by responsible org'; 'LA-by responsible org' and 'LA - by responsible org ' do not."""
    wanted = {spelling.casefold() for spelling in spellings}
    return [name for name in names if name.casefold() in wanted]


def choose_sheet(path: Path, names: list[str], spellings: tuple[str, ...]) -> str:
    """The one sheet with a published name; InputError if none (listing the sheets) or several (naming them)."""
    chosen = matching_sheets(names, spellings)
    described = " or ".join(repr(s) for s in spellings)
    if not chosen:
        raise InputError(
            f"no sheet named {described} (upper or lower case aside); sheets present: "
            + ", ".join(repr(n) for n in names),
            file=str(path),
        )
    if len(chosen) > 1:
        raise InputError(
            f"{len(chosen)} sheets could be the {described} sheet: "
            f"{', '.join(repr(n) for n in chosen)}; sheet names that differ only in case are "
            "ambiguous (a published workbook has one such sheet): remove or rename all but one",
            file=str(path),
        )
    return chosen[0]


def read_sheet(path: Path, spellings: tuple[str, ...], rows: int | None = None) -> Sheet:
    """The sheet named one of `spellings` (a CSV export is that sheet). With `rows`, only its first rows."""
    names, kind = sheet_names(path), file_kind(path)
    chosen = names[0] if kind == "csv" else choose_sheet(path, names, spellings)
    try:
        grid = {"xls": read_xls_grid, "xlsx": read_xlsx_grid, "csv": read_csv_grid}[kind](path, chosen, rows)
    except InputError:
        raise
    except Exception as error:
        raise InputError(f"cannot be read ({type(error).__name__}: {error})", file=str(path), sheet=chosen) from error
    return Sheet(path, chosen, grid)
