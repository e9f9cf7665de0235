"""The vintage ('mid-2016') of an ONS mid-year estimates workbook, as the workbook states it; never its file name.

Looked for, in order: the title rows above the persons table's header ('... in the UK, mid-2016'); the sheet's
name ('Mid-2013 Persons'); a contents entry for the sheet in another sheet's first rows (a row naming the sheet,
'MYE2 - All | Population estimates: ... mid-2016', or where that row names no year, the title above it). The first
place that names a year decides; a place naming two different years is an error naming both.
"""

from __future__ import annotations

import re
from pathlib import Path

from dtoc.errors import InputError
from dtoc.ingest.sheet_reader import cell_ref

VINTAGE_PATTERN = re.compile(r"\bmid[\s\-\u2013]?(\d{4})\b", re.IGNORECASE)


def years_in(value: object) -> list[str]:
    """'Population estimates ..., mid-2016' -> ['2016']; 'mid-2001 to mid-2016' -> ['2001', '2016']."""
    return VINTAGE_PATTERN.findall(value) if isinstance(value, str) else []


def read_vintage(path: Path, heads: dict[str, list[list[object]]], sheet: str, header_row: int, named: bool) -> str:
    """'mid-YYYY' for the persons table on `sheet` whose header is on 0-based header_row; named is False for a CSV
    file, whose one 'sheet' is named after the file."""
    grid = heads[sheet]
    titles = {
        f"cell {cell_ref(r, c)}": years_in(v) for r, row in enumerate(grid[:header_row]) for c, v in enumerate(row)
    }
    places = [("the title rows above the header", titles)]
    if named:
        places.append(("the sheet name", {f"'{sheet}'": years_in(sheet)}))
    places.append(("the contents entries for the sheet", contents_years(heads, sheet)))
    for what, found in places:
        vintage = one_vintage(path, sheet, what, found)
        if vintage:
            return vintage
    raise InputError(
        "no 'mid-YYYY' in the title rows above the header, in the sheet name or in a contents entry naming the "
        "sheet; the estimates' vintage cannot be known (dtoc never takes it from the file name)",
        file=path.name,
        sheet=sheet,
    )


def one_vintage(path: Path, sheet: str, what: str, found: dict[str, list[str]]) -> str | None:
    """The one year named at these places (place -> years), as 'mid-YYYY'; None if none; an error if several."""
    years = sorted({year for named in found.values() for year in named})
    if len(years) > 1:
        where = ", ".join(
            f"mid-{year} ({next(place for place, named in found.items() if year in named)})" for year in years
        )
        raise InputError(
            f"{what} name {len(years)} vintages: {where}; the estimates are of one year, so which one cannot be "
            "known: correct the workbook so that they name one",
            file=path.name,
            sheet=sheet,
        )
    return f"mid-{years[0]}" if years else None


def contents_years(heads: dict[str, list[list[object]]], sheet: str) -> dict[str, list[str]]:
    """Place -> years of each contents entry for `sheet`: the first row of another sheet with a cell naming it
    (spaces at the ends and case aside), that row's years, or where it names none, the years of the cells above
    it that name one year each (the contents sheet's title; a 'mid-1971 to mid-2016' series is left out)."""
    wanted, found = sheet.strip().casefold(), {}
    for name, grid in heads.items():
        entry = next(
            (
                r
                for r, row in enumerate(grid)
                if any(isinstance(v, str) and v.strip().casefold() == wanted for v in row)
            ),
            None,
        )
        if name == sheet or entry is None:
            continue
        cells = {(entry, c): years_in(v) for c, v in enumerate(grid[entry]) if years_in(v)}
        if not cells:
            above = {(r, c): years_in(v) for r, row in enumerate(grid[:entry]) for c, v in enumerate(row)}
            cells = {place: years for place, years in above.items() if len(years) == 1}
        found.update({f"sheet '{name}' cell {cell_ref(r, c)}": years for (r, c), years in cells.items()})
    return found
