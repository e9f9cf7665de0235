"""Ingest ONS mid-year population estimates (MYE2, persons by single year of age) for local authorities.

Output, one row per ONS area in the persons table: its code, name, population aged 18+ (the single years 18 to
90+ added up), all ages (the 'All ages' column, or where a release has none, the single years 0 to 90+ added
up), the vintage (mid-YYYY) and where the figures came from (file, sheet, row, cells). The table is found by its
content, whatever its sheet is called (dtoc.ingest.population_table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dtoc.errors import InputError, Location
from dtoc.ingest.counts import plain_count, read_whole_count
from dtoc.ingest.limits import MAX_PEOPLE
from dtoc.ingest.population_table import FIRST_ADULT_AGE, PersonsTable, find_persons_table
from dtoc.ingest.sheet_reader import Sheet, cell_ref, read_sheet

POPULATION_SCHEMA = {
    "ons_code": pl.String,
    "area_name": pl.String,
    "geography": pl.String,
    "population_18plus": pl.Int64,
    "population_all_ages": pl.Int64,
    "vintage": pl.String,
    "source_file": pl.String,
    "source_sha256": pl.String,
    "sheet": pl.String,
    "row_number": pl.Int64,
    "cells_summed": pl.String,
}


@dataclass
class PopulationWorkbook:
    """One MYE workbook: its vintage and one row per area."""

    path: Path
    sha256: str
    sheet: str
    vintage: str
    population: pl.DataFrame


def read_count(sheet: Sheet, row: int, col: int) -> int:
    """A population cell -> whole number of people; an error naming the cell for anything else."""
    value = sheet.value(row, col)
    plain = plain_count(value, MAX_PEOPLE)
    if plain is not None:
        return plain
    where = Location(file=sheet.file.name, sheet=sheet.name, cell=cell_ref(row, col))
    return read_whole_count(value, "people", MAX_PEOPLE, where)


def ingest_population_workbook(path: Path, sha256: str) -> PopulationWorkbook:
    """Read the persons table (found by its content); population 18+ = ages 18 to 90+ summed."""
    table = find_persons_table(path)
    sheet = read_sheet(path, (table.sheet,))
    records = []
    for r in range(table.header_row + 1, len(sheet.grid)):
        code = str(sheet.value(r, table.columns["code"]) or "").strip()
        if re.fullmatch(r"[A-Z]\d{8}", code):  # not blank rows and footnotes
            records.append({"ons_code": code, **area_figures(sheet, table, r), "source_sha256": sha256})
    if not records:
        raise InputError("no area rows with ONS codes below the header", file=path.name, sheet=sheet.name)
    population = pl.DataFrame(records, schema=POPULATION_SCHEMA)
    check_unique_codes(population, path, sheet.name)
    return PopulationWorkbook(path, sha256, sheet.name, table.vintage, population)


def area_figures(sheet: Sheet, table: PersonsTable, r: int) -> dict[str, object]:
    """One area's row (0-based r) of the persons table: its name, geography, people aged 18+, of all ages, and
    where they came from."""
    adult_columns = [column for age, column in table.ages.items() if age >= FIRST_ADULT_AGE]
    contiguous = adult_columns == list(range(adult_columns[0], adult_columns[-1] + 1))
    cells = (
        f"{cell_ref(r, adult_columns[0])}:{cell_ref(r, adult_columns[-1])}"
        if contiguous
        else ",".join(cell_ref(r, c) for c in adult_columns)
    )
    adults = sum(read_count(sheet, r, c) for c in adult_columns)
    all_ages = table.columns["allages"]
    geography = table.columns["geography"]
    return {
        "area_name": str(sheet.value(r, table.columns["name"]) or "").strip(),
        "geography": (str(sheet.value(r, geography) or "").strip() or None) if geography >= 0 else None,
        "population_18plus": adults,
        "population_all_ages": read_count(sheet, r, all_ages)
        if all_ages >= 0
        else adults + sum(read_count(sheet, r, c) for age, c in table.ages.items() if age < FIRST_ADULT_AGE),
        "vintage": table.vintage,
        "source_file": sheet.file.name,
        "sheet": sheet.name,
        "row_number": r + 1,
        "cells_summed": cells,
    }


def check_unique_codes(population: pl.DataFrame, path: Path, sheet: str) -> None:
    """Each ONS code once: a repeated code would be counted twice in an HWB's population."""
    repeated = (
        population.filter(pl.col("ons_code").is_duplicated())
        .group_by("ons_code")
        .agg(pl.col("row_number").sort())
        .sort("ons_code")
    )
    if repeated.height:
        listed = "; ".join(
            f"{r['ons_code']} on rows {', '.join(map(str, r['row_number']))}" for r in repeated.iter_rows(named=True)
        )
        raise InputError(f"ONS code(s) appear more than once: {listed}", file=path.name, sheet=sheet)
