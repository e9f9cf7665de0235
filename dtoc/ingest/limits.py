"""The bounds of every input, written once: the workbooks `dtoc run` reads, the plans and shares files of
`dtoc assure` and `dtoc split`, and the policies and grids of `dtoc scenarios`. Each is far above every real
file, so only a damaged or hostile file meets one; past a bound, dtoc refuses the file with a message naming it
and the bound, before anything of the bound's size is built.

Measured on the 24 published DToC workbooks (April 2017 - March 2019) and the mid-2016 and mid-2017 MYE
workbooks: files of 124 KB to 1.5 MB; the largest sheets are 170 rows x 14 columns ('LA - by responsible org')
and 448 x 95 ('MYE2 - All'); the largest delayed-days cell is 181,891 (England, one month); the largest
population cell is 66,040,229 (United Kingdom, all ages, mid-2017). A plan for all 151 HWBs is 1,813 rows of
6 columns; the largest HWB plans a few thousand delayed days a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dtoc.errors import InputError


@dataclass(frozen=True)
class TableLimits:
    """The bounds of one kind of input table (a sheet, or a CSV export of one), and what real ones hold."""

    kind: str  # what the messages call one: 'an input sheet'
    file_bytes: int
    rows: int
    columns: int
    # what real ones hold, for the messages: 'the published DToC and MYE workbooks are under 2 MB', ...
    real_file: str
    real_rows: str
    real_columns: str


# the DToC and MYE workbooks `dtoc run`, `monitor` and `scenarios` read
WORKBOOK = TableLimits(
    "an input sheet",
    50 * 2**20,
    5_000,
    200,
    "the published DToC and MYE workbooks are under 2 MB",
    "the published DToC and MYE sheets have under 500 rows",
    "the published DToC and MYE sheets have under 100 columns",
)
# the plans and shares files of `dtoc assure` and `dtoc split`
PLANS = TableLimits(
    "a plans or shares sheet",
    20 * 2**20,
    20_000,
    64,
    "a plans file for all 151 HWBs is under 200 KB",
    "a plan for all 151 HWBs has 1,813 rows",
    "plans and shares have 4 to 6 columns",
)
MAX_FILE_BYTES = WORKBOOK.file_bytes  # one input workbook; a larger file in the data folder is skipped, never opened
MAX_UNPACKED_BYTES = 100 * 2**20  # an .xlsx's parts once unzipped
MAX_PART_BYTES = 10 * 2**20  # one unzipped .xlsx part other than a sheet (shared strings, styles, ...)
MAX_CSV_LINE_CHARS = 100_000  # one line of a CSV export
MAX_CELL_CHARS = 2_000  # one text cell of a plans or shares file (an evidence reference, a CCG name)
CLASSIFY_BYTES = 4096  # what is read of a CSV file to tell whether it is a DToC export

MAX_DELAYED_DAYS = 10_000_000  # one area-month: more than every NHS bed in England (~130,000) for 31 days
MAX_PEOPLE = 1_000_000_000  # one population cell: about 15 times the United Kingdom
MAX_PLANNED_DAYS = 1_000_000  # one HWB's planned delayed days in a month

MAX_POLICIES = 2_000_000  # policies in one sweep (a policies CSV's rows, or a grid's combinations)
MAX_POLICIES_FILE_BYTES = 512 * 2**20  # a policies CSV
MAX_GRID_FILE_BYTES = 2**20  # a grid TOML file
MAX_POLICY_NAME_CHARS = 200  # a policy's name, given (CSV) or made from its numbers (grid)
MAX_LABEL_CHARS = 40  # a baseline or population vintage label in a grid ('2017-18Q3', 'mid-2016')


def describe_bytes(size: int) -> str:
    """1_572_864 -> '1.5 MB'; 2_048 -> '2 KB'; 100 -> '100 bytes'."""
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def oversized_note(path: Path, limits: TableLimits = WORKBOOK) -> str | None:
    """Why a file is too large to be an input ('60.0 MB, more than 50.0 MB, the limit ...'), or None if not."""
    size = path.stat().st_size
    if size <= limits.file_bytes:
        return None
    return (
        f"{describe_bytes(size)}, more than {describe_bytes(limits.file_bytes)}, the limit for an input file "
        f"({limits.real_file}); not read"
    )


def check_file_size(path: Path, limits: TableLimits = WORKBOOK) -> None:
    note = oversized_note(path, limits)
    if note:
        raise InputError(f"is {note}", file=str(path))


def too_many_rows(file: str, sheet: str | None, limits: TableLimits = WORKBOOK) -> InputError:
    return InputError(
        f"the sheet goes on past row {limits.rows:,}, the limit for {limits.kind} ({limits.real_rows}); it was "
        "not read further",
        file=file,
        sheet=sheet,
    )


def too_many_columns(file: str, sheet: str | None, row: int, limits: TableLimits = WORKBOOK) -> InputError:
    return InputError(
        f"the row has cells past column {limits.columns}, the limit for {limits.kind} ({limits.real_columns}); "
        "it was not read further",
        file=file,
        sheet=sheet,
        row=row,
    )
