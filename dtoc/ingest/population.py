"""Ingest ONS mid-year population estimates (MYE2, persons by single year of age) for local authorities.

Output, one row per ONS area in the sheet: its code, name, population aged 18+ (the single years 18 to
90+ added up), all ages, the vintage (mid-YYYY) and where the figures came from (file, sheet, row, cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dtoc.errors import InputError, Location
from dtoc.ingest.counts import plain_count, read_whole_count
from dtoc.ingest.limits import MAX_PEOPLE
from dtoc.ingest.workbook import Sheet, cell_ref, normalise_label, read_sheet

# The sheet's published names, matched ignoring case only: 'MYE2 - All' (mid-2016, mid-2017), 'MYE2 - Persons'
# (later vintages)
POPULATION_SHEET_NAMES = ("MYE2 - All", "MYE2 - Persons")
SCAN_ROWS_FOR_HEADER = 40
VINTAGE_PATTERN = re.compile(r"mid[\s\-]?(\d{4})", re.IGNORECASE)
FIRST_ADULT_AGE, TOP_AGE = 18, 90
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


def age_of(label: object) -> int | None:
    """A header cell -> the single year of age it stands for ('90+' -> 90), else None."""
    if isinstance(label, (int, float)) and not isinstance(label, bool) and label == int(label):
        return int(label)
    match = re.fullmatch(r"\s*(?:age\s*)?(\d{1,3})\s*\+?\s*", str(label or ""), re.IGNORECASE)
    return int(match[1]) if match else None


def find_population_header(sheet: Sheet) -> tuple[int, dict[str, int], dict[int, int]]:
    """Header row, the columns of code/name/geography/all ages, and age -> column."""
    for r in range(min(SCAN_ROWS_FOR_HEADER, len(sheet.grid))):
        labels = {normalise_label(cell): c for c, cell in reversed(list(enumerate(sheet.grid[r])))}
        if "code" in labels and "name" in labels and "allages" in labels:
            ages: dict[int, int] = {}
            for c, cell in enumerate(sheet.grid[r]):
                age = age_of(cell)
                if age is not None and c > labels["allages"]:
                    ages.setdefault(age, c)
            wanted = set(range(FIRST_ADULT_AGE, TOP_AGE + 1))
            if not wanted <= ages.keys():
                missing = sorted(wanted - ages.keys())
                raise InputError(
                    f"header has no column for age(s) {missing}", file=sheet.file.name, sheet=sheet.name, row=r + 1
                )
            columns = {k: labels[k] for k in ("code", "name", "allages")}
            columns["geography"] = labels.get("geography1", labels.get("geography", -1))
            return r, columns, ages
    raise InputError(
        f"no header row with Code, Name, All ages and single years of age in the first {SCAN_ROWS_FOR_HEADER} rows",
        file=sheet.file.name,
        sheet=sheet.name,
    )


def read_vintage(sheet: Sheet, header_row: int) -> str:
    """'mid-2016' from the sheet's title rows above the header."""
    for r in range(header_row):
        for cell in sheet.grid[r]:
            match = VINTAGE_PATTERN.search(str(cell or ""))
            if match:
                return f"mid-{match[1]}"
    raise InputError(
        "no 'mid-YYYY' in the title rows; the estimates' vintage cannot be known",
        file=sheet.file.name,
        sheet=sheet.name,
    )


def read_count(sheet: Sheet, row: int, col: int) -> int:
    """A population cell -> whole number of people; an error naming the cell for anything else."""
    value = sheet.value(row, col)
    plain = plain_count(value, MAX_PEOPLE)
    if plain is not None:
        return plain
    where = Location(file=sheet.file.name, sheet=sheet.name, cell=cell_ref(row, col))
    return read_whole_count(value, "people", MAX_PEOPLE, where)


def ingest_population_workbook(path: Path, sha256: str) -> PopulationWorkbook:
    """Read MYE2 persons by single year of age; population 18+ = ages 18 to 90+ summed."""
    sheet = read_sheet(path, POPULATION_SHEET_NAMES)
    header_row, columns, ages = find_population_header(sheet)
    vintage = read_vintage(sheet, header_row)
    adult_columns = [ages[a] for a in range(FIRST_ADULT_AGE, TOP_AGE + 1)]
    contiguous = adult_columns == list(range(adult_columns[0], adult_columns[-1] + 1))
    records = []
    for r in range(header_row + 1, len(sheet.grid)):
        code = str(sheet.value(r, columns["code"]) or "").strip()
        if not re.fullmatch(r"[A-Z]\d{8}", code):
            continue  # blank rows and footnotes
        cells = (
            f"{cell_ref(r, adult_columns[0])}:{cell_ref(r, adult_columns[-1])}"
            if contiguous
            else ",".join(cell_ref(r, c) for c in adult_columns)
        )
        records.append(
            {
                "ons_code": code,
                "area_name": str(sheet.value(r, columns["name"]) or "").strip(),
                "geography": str(sheet.value(r, columns["geography"]) or "").strip() or None
                if columns["geography"] >= 0
                else None,
                "population_18plus": sum(read_count(sheet, r, c) for c in adult_columns),
                "population_all_ages": read_count(sheet, r, columns["allages"]),
                "vintage": vintage,
                "source_file": path.name,
                "source_sha256": sha256,
                "sheet": sheet.name,
                "row_number": r + 1,
                "cells_summed": cells,
            }
        )
    if not records:
        raise InputError("no area rows with ONS codes below the header", file=path.name, sheet=sheet.name)
    population = pl.DataFrame(records, schema=POPULATION_SCHEMA)
    check_unique_codes(population, path, sheet.name)
    return PopulationWorkbook(path, sha256, sheet.name, vintage, population)


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
