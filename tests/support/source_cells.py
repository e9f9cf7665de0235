"""An independent reading of the published workbooks and of Annex 3, for tests: xlrd and plain Python only.

Nothing here imports dtoc: no reading code, no SQL, no configuration. Headers are found by their printed
text, the month by the 'Period:' cell, the population by the MYE2 column headers 18 to 90 (90 = '90+').
The expectations follow the BCF Operating Guidance 2017-19, Annex 3, written from its text.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from functools import cache
from pathlib import Path

import xlrd

DELAYS_SHEET = "la - by responsible org"  # the case of the sheet name varies between years
POPULATION_SHEET = "MYE2 - All"
ONS_CODE = re.compile(r"^E\d{8}$")
ENGLAND = "E92000001"
# NHS England reports Cornwall and the Isles of Scilly on Cornwall's row (data README, known quirks)
ROW_COVERS = {"E06000052": ("E06000052", "E06000053")}
# Annex 3: attribution -> (target rate, upper rate, reduction cap), per 100,000 aged 18+
ANNEX3 = {
    "nhs": (Fraction("5.5"), Fraction("7.9"), Fraction("0.30")),
    "asc": (Fraction("2.6"), Fraction("4.3"), Fraction("0.40")),
}
ATTRIBUTION_HEADERS = {"nhs": "NHS", "asc": "Social Care", "joint": "Both"}


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Month:
    """One monthly workbook: its month, every area row's code, name and NHS / Social Care / Both days."""

    path: Path
    month: date
    areas: dict[str, tuple[str, int, int, int]]  # ONS code -> (name, nhs, social care, both)
    dashes: list[tuple[str, str]] = field(default_factory=list)  # (A1 ref, row name) of every '-' value cell
    england: tuple[int, int, int] = (0, 0, 0)  # the England row (it also counts Welsh, Scottish and other patients)


def value_of(cell: object) -> int | None:
    """A delayed-days cell: a whole number, or None for '-' (not reported)."""
    if cell == "-":
        return None
    assert isinstance(cell, float) and cell.is_integer() and cell >= 0, cell
    return int(cell)


@cache
def read_month(path: Path) -> Month:
    """Read once per test session (the workbooks are read-only)."""
    book = xlrd.open_workbook(str(path), on_demand=True)
    sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.strip().lower() == DELAYS_SHEET))
    rows = [sheet.row_values(r) for r in range(sheet.nrows)]
    label = next((r, c) for r, row in enumerate(rows[:30]) for c, v in enumerate(row) if v == "Period:")
    period = next(v for v in rows[label[0]][label[1] + 1 :] if v != "")
    header_row = next(r for r, row in enumerate(rows[:60]) if "ONS Geography" in row and "Name" in row)
    header, group = rows[header_row], rows[header_row - 1]
    days_from = group.index("Delayed Days")  # the first NHS/Social Care/Both block is delayed days, not beds
    columns = {key: header.index(text, days_from) for key, text in ATTRIBUTION_HEADERS.items()}
    code_col, name_col = header.index("ONS Geography"), header.index("Name")
    month = Month(path, datetime.strptime(period.strip(), "%B %Y").date(), {})
    for r in range(header_row + 1, len(rows)):
        values = {k: value_of(rows[r][c]) for k, c in columns.items() if rows[r][c] != ""}
        month.dashes += [
            (f"{column_letters(columns[k])}{r + 1}", rows[r][name_col]) for k, v in values.items() if v is None
        ]
        code = rows[r][code_col]
        if rows[r][name_col] == "England":
            month.england = tuple(values[k] for k in ("nhs", "asc", "joint"))
        if isinstance(code, str) and ONS_CODE.match(code) and code != ENGLAND:
            assert code not in month.areas, (path.name, code)
            month.areas[code] = (rows[r][name_col], *(values[k] or 0 for k in ("nhs", "asc", "joint")))
    return month


@dataclass
class Population:
    """The MYE2 'persons' sheet: its vintage ('mid-2016') and, per ONS code, the row and the sum of ages 18-90+."""

    path: Path
    vintage: str
    adults: dict[str, int]
    cells: dict[str, str]  # ONS code -> 'V340:CP340'
    sheet: xlrd.sheet.Sheet
    names: dict[str, str] = field(default_factory=dict)  # ONS code -> the area's name as ONS prints it


@cache
def read_population(path: Path) -> Population:
    sheet = xlrd.open_workbook(str(path), on_demand=True).sheet_by_name(POPULATION_SHEET)
    title = next(v for r in range(10) for v in sheet.row_values(r) if isinstance(v, str) and v.startswith("MYE2"))
    vintage = re.search(r"mid-\d{4}", title).group(0)
    header_row = next(r for r in range(20) if sheet.cell_value(r, 0) == "Code")
    header = sheet.row_values(header_row)
    ages = [c for c, v in enumerate(header) if isinstance(v, float) and 18 <= v <= 90]
    assert [header[c] for c in ages] == list(range(18, 91)) and ages == list(range(ages[0], ages[-1] + 1))
    adults, cells, names = {}, {}, {}
    name_column = header.index("Name")
    for r in range(header_row + 1, sheet.nrows):
        code = sheet.cell_value(r, 0)
        if isinstance(code, str) and ONS_CODE.match(code):
            assert code not in adults, code
            adults[code] = int(sum(sheet.cell_value(r, c) for c in ages))
            cells[code] = f"{column_letters(ages[0])}{r + 1}:{column_letters(ages[-1])}{r + 1}"
            names[code] = sheet.cell_value(r, name_column)
    return Population(path, vintage, adults, cells, sheet, names)


def read_all_months(delays_dir: Path) -> dict[date, Month]:
    """Every monthly workbook in the folder by the month its 'Period:' cell names (each month once)."""
    months = [read_month(path) for path in sorted(delays_dir.glob("*.xls"))]
    by_month = {m.month: m for m in months}
    assert len(by_month) == len(months), "two workbooks name the same month"
    return by_month


def population_of_vintage(folder: Path, vintage: str) -> Population:
    """The MYE workbook in folder whose MYE2 title names the vintage."""
    found = [p for p in (read_population(path) for path in sorted(folder.glob("*.xls"))) if p.vintage == vintage]
    assert len(found) == 1, (vintage, [p.path.name for p in found])
    return found[0]


def quarter_label(month: date) -> str:
    """Financial-year quarter (Q1 = April-June) of a month: date(2017, 12, 1) -> '2017-18Q3'."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}Q{(month.month - 4) % 12 // 3 + 1}"


def assert_same_table(table, recomputed: dict[str, dict[str, object]], columns: tuple[str, ...], where: str) -> None:
    """dtoc's table (a polars frame) against the recomputation: same HWBs in the same order; text, whole numbers
    and bands exact; figures within 1e-9 relative."""
    assert table["hwb_code"].to_list() == list(recomputed), where
    assert all(set(row) == set(columns) for row in recomputed.values()), where
    for row in table.select(columns).iter_rows(named=True):
        mine = recomputed[row["hwb_code"]]
        for column in columns:
            if isinstance(row[column], float):
                assert math.isclose(row[column], float(mine[column]), rel_tol=1e-9, abs_tol=1e-12), (
                    where,
                    row["hwb_code"],
                    column,
                    row[column],
                    float(mine[column]),
                )
            else:
                assert row[column] == mine[column], (where, row["hwb_code"], column)


def band(rate: Fraction, attribution: str) -> str:
    target, upper, _ = ANNEX3[attribution]
    return "maintain" if rate < target else "reduce_to_target" if rate <= upper else "reduce_by_cap"


def expected_rate(rate: Fraction, attribution: str) -> Fraction:
    target, _, cap = ANNEX3[attribution]
    return {"maintain": rate, "reduce_to_target": target, "reduce_by_cap": rate * (1 - cap)}[band(rate, attribution)]


def recompute_quarter(months: list[Month], population: Population) -> dict[str, dict[str, object]]:
    """The expectation table from the cells: one row per area reported in the quarter's workbooks."""
    assert len({m.month for m in months}) == 3 and len({frozenset(m.areas) for m in months}) == 1
    days = sum(calendar.monthrange(m.month.year, m.month.month)[1] for m in months)
    last = max(months, key=lambda m: m.month)
    table = {}
    for code in sorted(last.areas):
        adults = sum(population.adults[area] for area in ROW_COVERS.get(code, (code,)))
        row: dict[str, object] = {
            "hwb_code": code,
            "hwb_name": last.areas[code][0],
            "population_18plus": adults,
            "population_vintage": population.vintage,
        }
        for index, key in enumerate(("nhs", "asc", "joint"), start=1):
            delayed = sum(m.areas[code][index] for m in months)
            rate = Fraction(delayed * 100_000, days * adults)
            expected = rate if key == "joint" else expected_rate(rate, key)
            held = key == "joint" or band(rate, key) == "maintain"
            row |= {
                f"baseline_{key}_daily": Fraction(delayed, days),
                f"baseline_{key}_rate": rate,
                f"expected_{key}_rate": expected,
                f"expected_{key}_daily": Fraction(delayed, days) if held else expected * adults / 100_000,
            }
            if key != "joint":
                row[f"{key}_band"] = band(rate, key)
        row["expected_total_daily"] = sum(row[f"expected_{k}_daily"] for k in ("nhs", "asc", "joint"))
        table[code] = row
    return table


def cells_of(path: Path, code: str) -> dict[str, object]:
    """The NHS, Social Care, Both and Name cells of an area's row in a month's workbook (xlrd), by its printed
    headers."""
    book = xlrd.open_workbook(str(path), on_demand=True)
    sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == "la - by responsible org"))
    header_row = next(r for r in range(40) if "Name" in sheet.row_values(r))
    header = sheet.row_values(header_row)
    row = next(
        r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, header.index("ONS Geography")) == code
    )
    return {h: sheet.cell_value(row, header.index(h)) for h in ("NHS", "Social Care", "Both", "Name")}
