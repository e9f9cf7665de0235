"""Ingest one NHS England 'LA Type B' monthly DToC workbook (sheet 'LA - by responsible org').

Output, one row per area, month and attribution (nhs, social_care, joint): the delayed days as published
(null where the workbook shows '-'), with the source file, its sha256, the sheet and the A1 cell reference, and
the proof of what the cell is: the row's area-name cell (name_ref) and the column's header text and cell as the
workbook prints them (header_text, header_ref: 'Social Care' in G14). Beside it, reported_totals: one row per
area and month, the row's Total cell, which the validation gate adds up against the three attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypedDict

import polars as pl

from dtoc.errors import InputError, Location
from dtoc.ingest.counts import plain_count, read_whole_count
from dtoc.ingest.limits import MAX_DELAYED_DAYS
from dtoc.ingest.sheet_reader import Sheet, cell_ref, normalise_label, read_sheet
from dtoc.periods import month_label, parse_month
from dtoc.vocabulary import ATTRIBUTIONS, BY_KEY, TOTAL_HEADER, cell_reference

# The sheet's published name (all 24 workbooks, April 2017 - March 2019), matched ignoring case only
DELAYS_SHEET_NAMES = ("LA - by responsible org",)
# the workbook's header of each attribution, as compared ('socialcare'), -> the attribution's key ('social_care')
ATTRIBUTION_HEADERS = {normalise_label(a.header): a.key for a in ATTRIBUTIONS}
TOTAL_COLUMN = normalise_label(TOTAL_HEADER)
VALUE_HEADERS = (*ATTRIBUTION_HEADERS, TOTAL_COLUMN)
REQUIRED_HEADERS = ("region", "onsgeography", "code", "name", *VALUE_HEADERS)
HEADER_ALIASES = {
    "onscode": "onsgeography",
    "onsgeographycode": "onsgeography",
    "lacode": "code",
    "localauthority": "name",
    "laname": "name",
}
MISSING_MARKERS = {"-", "–", ".", ":", "..", "*"}
ONS_CODE_PATTERN = r"[EWSNK]\d{8}"  # an ONS area code (E06000001, ...)
ONS_CODE = re.compile(rf"^{ONS_CODE_PATTERN}$")
META_LABELS = ("period", "published", "revised")
SCAN_ROWS_FOR_HEADER = 60

DELAYED_DAYS_SCHEMA = {
    "month": pl.Date,
    "ons_code": pl.String,
    "la_code": pl.String,
    "area_name": pl.String,
    "region": pl.String,
    "area_type": pl.String,
    "attribution": pl.String,
    "delayed_days": pl.Int64,
    "source_file": pl.String,
    "source_sha256": pl.String,
    "sheet": pl.String,
    "cell_ref": pl.String,
    "row_number": pl.Int64,
    "published": pl.String,
    "revised": pl.String,
    "name_ref": pl.String,
    "header_text": pl.String,
    "header_ref": pl.String,
}
REPORTED_TOTALS_SCHEMA = {
    "month": pl.Date,
    "ons_code": pl.String,
    "area_name": pl.String,
    "area_type": pl.String,
    "reported_total": pl.Int64,
    "cell_ref": pl.String,
    "source_file": pl.String,
    "sheet": pl.String,
    "row_number": pl.Int64,
}


@dataclass
class DelaysWorkbook:
    """What one monthly workbook says: its period and dates, its delayed days and the cells it left blank."""

    path: Path
    sha256: str
    sheet: str
    month: date
    published: str | None
    revised: str | None
    delayed_days: pl.DataFrame
    reported_totals: pl.DataFrame
    missing_cells: list[str] = field(default_factory=list)


def read_metadata(sheet: Sheet, stop_row: int) -> dict[str, tuple[object, str]]:
    """'Period:', 'Published:', 'Revised:' label cells above the header -> (value, A1 ref of the value)."""
    found: dict[str, tuple[object, str]] = {}
    for r in range(min(stop_row, len(sheet.grid))):
        row = sheet.grid[r]
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or ":" not in cell:
                continue
            label, _, inline = cell.partition(":")
            key = normalise_label(label)
            if key not in META_LABELS or key in found:
                continue
            if inline.strip():
                found[key] = (inline.strip(), cell_ref(r, c))
                continue
            value_col = next((k for k in range(c + 1, len(row)) if row[k] not in (None, "")), None)
            if value_col is not None:
                found[key] = (row[value_col], cell_ref(r, value_col))
    return found


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The header row (found by content) and the column of each required header, read from the first block
    of headings only: the block ends at a blank cell or a repeated heading, where the published sheets start a
    second block (daily averages) with the same names that must not stand in for a renamed column."""
    for r in range(min(SCAN_ROWS_FOR_HEADER, len(sheet.grid))):
        columns: dict[str, int] = {}
        for c, cell in enumerate(sheet.grid[r]):
            key = normalise_label(cell)
            key = HEADER_ALIASES.get(key, key)
            if columns and (not key or key in columns):
                break
            if key in REQUIRED_HEADERS:
                columns[key] = c
        if "name" in columns and len(columns) >= 5:
            missing = [h for h in REQUIRED_HEADERS if h not in columns]
            if missing:
                raise InputError(
                    "header row is missing the column(s) " + ", ".join(missing) + " (expected "
                    "Region, ONS Geography, Code, Name, NHS, Social Care, Both, Total)",
                    file=sheet.file.name,
                    sheet=sheet.name,
                    row=r + 1,
                )
            return r, columns
    raise InputError(
        "no header row with Region, ONS Geography, Code, Name, NHS, Social Care, Both, Total in "
        f"the first {SCAN_ROWS_FOR_HEADER} rows",
        file=sheet.file.name,
        sheet=sheet.name,
    )


def parse_days(value: object, sheet: Sheet, row: int, col: int) -> int | None:
    """A delayed-days cell -> whole number, or None for '-'/blank. Text, fractions, negatives, infinities and
    counts beyond MAX_DELAYED_DAYS are errors naming the cell."""
    if value is None or (isinstance(value, str) and value.strip() in MISSING_MARKERS | {""}):
        return None
    plain = plain_count(value, MAX_DELAYED_DAYS)
    if plain is not None:
        return plain
    where = Location(file=sheet.file.name, sheet=sheet.name, cell=cell_ref(row, col))
    return read_whole_count(value, "delayed days", MAX_DELAYED_DAYS, where, or_else=" or '-'")


def classify_area(ons_code: str, name: str) -> str:
    """'england', 'local_authority' (an HWB candidate) or 'non_england' (Resident in Wales, ...)."""
    if name.strip().lower() == "england" or ons_code.startswith("E92"):
        return "england"
    return "local_authority" if ONS_CODE.match(ons_code) else "non_england"


def text(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_period(sheet: Sheet, header_row: int) -> tuple[date, str | None, str | None]:
    """The month from the 'Period:' cell (never the file name), and the published / revised dates."""
    meta = read_metadata(sheet, header_row)
    if "period" not in meta:
        raise InputError(
            "no 'Period:' cell above the header row; the month cannot be known", file=sheet.file.name, sheet=sheet.name
        )
    value, ref = meta["period"]
    month = parse_month(value)
    if month is None:
        raise InputError(
            f"the 'Period:' cell holds {value!r}, not a month and year",
            file=sheet.file.name,
            sheet=sheet.name,
            cell=ref,
        )
    published, revised = (text(meta[k][0]) if k in meta else None for k in ("published", "revised"))
    return month, published, revised


class AreaRow(TypedDict):
    """One data row of the sheet: its 0-based row, identifiers, and by header key its value and cell."""

    row: int
    name: str
    ons_code: str
    la_code: str
    region: str
    values: dict[str, int | None]
    refs: dict[str, str]


def read_area_rows(sheet: Sheet, header_row: int, columns: dict[str, int]) -> list[AreaRow]:
    """One dict per data row below the header: identifiers, the four values and their cells."""
    rows: list[AreaRow] = []
    value_keys = VALUE_HEADERS
    for r in range(header_row + 1, len(sheet.grid)):
        name = text(sheet.value(r, columns["name"]))
        raw_values = [sheet.value(r, columns[k]) for k in value_keys]
        if not name or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw_values):
            ons_code = text(sheet.value(r, columns["onsgeography"]))
            if ONS_CODE.match(ons_code):
                raise InputError(
                    f"area {ons_code} {name!r} has no values", file=sheet.file.name, sheet=sheet.name, row=r + 1
                )
            continue  # blank separator or a footnote
        values = {k: parse_days(v, sheet, r, columns[k]) for k, v in zip(value_keys, raw_values, strict=True)}
        rows.append(
            {
                "row": r,
                "name": name,
                "ons_code": text(sheet.value(r, columns["onsgeography"])),
                "la_code": text(sheet.value(r, columns["code"])),
                "region": text(sheet.value(r, columns["region"])),
                "values": values,
                "refs": {k: cell_ref(r, columns[k]) for k in value_keys},
            }
        )
    if not rows:
        raise InputError("no data rows below the header", file=sheet.file.name, sheet=sheet.name, row=header_row + 1)
    return rows


def ingest_delays_workbook(path: Path, sha256: str) -> DelaysWorkbook:
    """Read one monthly workbook into long-form delayed days; '-' cells stay null and are listed."""
    sheet = read_sheet(path, DELAYS_SHEET_NAMES)
    header_row, columns = find_header(sheet)
    month, published, revised = read_period(sheet, header_row)
    headers = {
        key: {
            "header_text": text(sheet.value(header_row, columns[key])),
            "header_ref": cell_ref(header_row, columns[key]),
        }
        for key in ATTRIBUTION_HEADERS
    }
    records, totals, missing = [], [], []
    for row in read_area_rows(sheet, header_row, columns):
        ons_code = row["ons_code"] if row["ons_code"] not in ("-", "") else ""
        area_type = classify_area(ons_code, row["name"])
        common = {
            "month": month,
            "ons_code": ons_code or None,
            "la_code": row["la_code"] if row["la_code"] not in ("-", "") else None,
            "area_name": row["name"],
            "region": row["region"] if row["region"] not in ("-", "") else None,
            "area_type": area_type,
            "source_file": path.name,
            "source_sha256": sha256,
            "sheet": sheet.name,
            "row_number": row["row"] + 1,
            "published": published,
            "revised": revised,
        }
        for key, attribution in ATTRIBUTION_HEADERS.items():
            value = row["values"][key]
            records.append(
                {
                    **common,
                    "attribution": attribution,
                    "delayed_days": value,
                    "cell_ref": row["refs"][key],
                    "name_ref": cell_ref(row["row"], columns["name"]),
                    **headers[key],
                }
            )
            if value is None:
                missing.append(
                    f"{cell_reference(path.name, sheet.name, row['refs'][key])}: {row['name']} "
                    f"{BY_KEY[attribution].label} ({month_label(month)}) not reported ('-'), counted as 0"
                )
        totals.append(
            {
                "month": month,
                "ons_code": ons_code or None,
                "area_name": row["name"],
                "area_type": area_type,
                "reported_total": row["values"][TOTAL_COLUMN],
                "cell_ref": row["refs"][TOTAL_COLUMN],
                "source_file": path.name,
                "sheet": sheet.name,
                "row_number": row["row"] + 1,
            }
        )
    return DelaysWorkbook(
        path,
        sha256,
        sheet.name,
        month,
        published,
        revised,
        pl.DataFrame(records, schema=DELAYED_DAYS_SCHEMA),
        pl.DataFrame(totals, schema=REPORTED_TOTALS_SCHEMA),
        missing,
    )
