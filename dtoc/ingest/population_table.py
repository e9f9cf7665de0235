"""The one table of persons by single year of age in an ONS mid-year estimates workbook, found by its content.

Only the first SCAN_ROWS rows of each sheet are read (dtoc.ingest.sheet_heads). The headers are found as
dtoc.ingest.population_headers describes, the vintage as dtoc.ingest.population_vintage does. Exactly one table
of persons is wanted: none is an error naming the file and its sheets (and any males or females tables found),
two are an error naming both sheets. The same search classifies a file (classify_population) and reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dtoc.errors import InputError, Location
from dtoc.ingest.population_headers import SCAN_ROWS, TOP_AGE, Table, find_tables
from dtoc.ingest.population_vintage import read_vintage
from dtoc.ingest.sheet_heads import read_heads
from dtoc.ingest.sheet_reader import cell_ref, file_kind

FIRST_ADULT_AGE = 18
PERSONS_TABLE_WANTED = (
    "no sheet holds a table of persons by single year of age (a header row with a code column, a name column "
    f"and the ages 0 to {TOP_AGE}, within the sheet's first {SCAN_ROWS} rows)"
)


@dataclass(frozen=True)
class PersonsTable:
    """Where the persons table is: its sheet, 0-based header row, columns (code, name, geography, allages; -1
    where absent), single year of age (0 to 90, 90 = 90 and over) -> column, and the vintage ('mid-2016')."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    ages: dict[int, int]
    vintage: str


class NoPersonsTable(InputError):
    """A workbook without a persons table; note is what a data-folder scan says of it ('sheets: ...')."""

    def __init__(self, path: Path, sheets: list[str], sex_tables: list[Table]) -> None:
        listed = ", ".join(repr(name) for name in sheets)
        only = "; only tables of males or females were found: " + ", ".join(
            f"{table.sheet!r} ({table.sex})" for table in sex_tables
        )
        super().__init__(
            f"{PERSONS_TABLE_WANTED}; sheets present: {listed}{only if sex_tables else ''}", file=str(path)
        )
        self.note = f"sheets: {listed}" + (only if sex_tables else "")


def classify_population(path: Path) -> tuple[str, str]:
    """('population', 'mid-2016') for a workbook holding one persons table, ('other', 'sheets: ...') for one with
    none; a workbook whose persons table is ambiguous, damaged or of no stated vintage is an error."""
    try:
        return "population", find_persons_table(path).vintage
    except NoPersonsTable as missing:
        return "other", missing.note


def find_persons_table(path: Path) -> PersonsTable:
    """The workbook's one persons table, read from the first rows of its sheets only."""
    heads, named = read_heads(path, SCAN_ROWS), file_kind(path) != "csv"
    tables = find_tables(heads, named)
    persons = [table for table in tables if table.sex == "persons"]
    if not persons:
        raise NoPersonsTable(path, list(heads), tables)
    if len(persons) > 1:
        raise InputError(
            f"{len(persons)} sheets hold a table of persons by single year of age: "
            + ", ".join(f"{table.sheet!r} (header row {table.row + 1})" for table in persons)
            + "; a release has one, so which to read cannot be known: remove all but one, or name the others' sex "
            "(Males, Females) in their sheet names",
            file=str(path),
        )
    table = persons[0]
    ages = check_ages(path, table)
    return PersonsTable(
        table.sheet, table.row, table.columns, ages, read_vintage(path, heads, table.sheet, table.row, named)
    )


def check_ages(path: Path, table: Table) -> dict[int, int]:
    """Age -> column: the ages 18 to 90 each headed once and none past 90; without an 'All ages' column, the
    ages 0 to 17 too, whose sum with the adults' is then the population of all ages."""
    where = Location(file=path.name, sheet=table.sheet, row=table.row + 1)
    repeated = {age: columns for age, columns in table.ages.items() if len(columns) > 1 and age <= TOP_AGE}
    if repeated:
        age, columns = min(repeated.items())
        cells = ", ".join(cell_ref(table.row, c) for c in columns)
        raise InputError(
            f"age {age} heads {len(columns)} columns ({cells}); which to read cannot be known: correct the header",
            **where,
        )
    past = sorted(age for age in table.ages if TOP_AGE < age <= 120)
    if past:
        first = cell_ref(table.row, table.ages[past[0]][0])
        raise InputError(
            f"header has single years of age past {TOP_AGE} ({past[0]} in cell {first}); dtoc reads the tables "
            f"whose last age is {TOP_AGE} (and over), as the releases' MYE2 tables are",
            **where,
        )
    wanted = set(range(FIRST_ADULT_AGE if table.columns["allages"] >= 0 else 0, TOP_AGE + 1))
    missing = sorted(wanted - table.ages.keys())
    if missing:
        without = "" if table.columns["allages"] >= 0 else " (and no 'All ages' column, so every age is needed)"
        raise InputError(f"header has no column for age(s) {missing}{without}", **where)
    return {age: columns[0] for age, columns in sorted(table.ages.items()) if 0 <= age <= TOP_AGE}
