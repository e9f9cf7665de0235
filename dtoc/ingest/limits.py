"""The bounds of an input, written once. Each is far above every real DToC and MYE workbook, so only a damaged
or hostile file meets one; past a bound, dtoc refuses the file with a message naming it and the bound.

Measured on the 24 published DToC workbooks (April 2017 - March 2019) and the mid-2016 and mid-2017 MYE
workbooks: files of 124 KB to 1.5 MB; the largest sheets are 170 rows x 14 columns ('LA - by responsible org')
and 448 x 95 ('MYE2 - All'); the largest delayed-days cell is 181,891 (England, one month); the largest
population cell is 66,040,229 (United Kingdom, all ages, mid-2017).
"""

from __future__ import annotations

from pathlib import Path

from dtoc.errors import InputError

MAX_FILE_BYTES = 50 * 2**20  # one input file; a larger file in the data folder is skipped, never opened
MAX_UNPACKED_BYTES = 100 * 2**20  # an .xlsx's parts once unzipped
MAX_PART_BYTES = 10 * 2**20  # one unzipped .xlsx part other than a sheet (shared strings, styles, ...)
MAX_ROWS = 5_000  # rows of one sheet's used range
MAX_COLUMNS = 200  # columns of one sheet's used range
MAX_CSV_LINE_CHARS = 100_000  # one line of a CSV export
MAX_DELAYED_DAYS = 10_000_000  # one area-month: more than every NHS bed in England (~130,000) for 31 days
MAX_PEOPLE = 1_000_000_000  # one population cell: about 15 times the United Kingdom
CLASSIFY_BYTES = 4096  # what is read of a CSV file to tell whether it is a DToC export


def describe_bytes(size: int) -> str:
    """1_572_864 -> '1.5 MB'."""
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def oversized_note(path: Path) -> str | None:
    """Why a file is too large to be an input ('60.0 MB, more than 50.0 MB, the limit ...'), or None if not."""
    size = path.stat().st_size
    if size <= MAX_FILE_BYTES:
        return None
    return (
        f"{describe_bytes(size)}, more than {describe_bytes(MAX_FILE_BYTES)}, the limit for an input file "
        "(the published DToC and MYE workbooks are under 2 MB); not read"
    )


def check_file_size(path: Path) -> None:
    note = oversized_note(path)
    if note:
        raise InputError(f"is {note}", file=str(path))


def too_many_rows(file: str, sheet: str) -> InputError:
    return InputError(
        f"the sheet goes on past row {MAX_ROWS:,}, the limit for an input sheet (the published "
        "DToC and MYE sheets have under 500 rows); it was not read further",
        file=file,
        sheet=sheet,
    )


def too_many_columns(file: str, sheet: str, row: int) -> InputError:
    return InputError(
        f"the row has cells past column {MAX_COLUMNS}, the limit for an input sheet (the published "
        "DToC and MYE sheets have under 100 columns); it was not read further",
        file=file,
        sheet=sheet,
        row=row,
    )
