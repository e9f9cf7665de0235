"""Writers of small DToC and MYE workbooks for tests, in the published layouts (.xls, .xlsx or CSV)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

HEADER = ["Region", "ONS Geography", "Code", "Name", "NHS", "Social Care", "Both", "Total"]


@dataclass
class Area:
    ons_code: str
    name: str
    nhs: object
    social_care: object
    both: object
    total: object | None = None
    region: str = "Test Region"
    la_code: str = "999"

    def values(self) -> list[object]:
        parts = [self.nhs, self.social_care, self.both]
        total = self.total if self.total is not None else sum(v for v in parts if isinstance(v, (int, float)))
        return [self.region, self.ons_code, self.la_code, self.name, *parts, total]


@dataclass
class DelaysSheet:
    """A 'LA - by responsible org' sheet: title block, header at header_row (0-based), England, areas, others."""

    period: str
    areas: list[Area]
    others: list[Area] = field(default_factory=list)
    header_row: int = 13
    sheet_name: str = "LA - by responsible org"
    published: str = "8th February 2018"
    revised: str = "10th May 2018"
    header: list[str] = field(default_factory=lambda: list(HEADER))

    def rows(self) -> list[list[object]]:
        grid: list[list[object]] = [[] for _ in range(self.header_row + 1)]
        grid[1] = ["", "Title:", "Delayed Transfer of Care, NHS Organisations, England"]
        grid[4] = ["", "Period:", self.period]
        grid[7] = ["", "Published:", self.published]
        grid[8] = ["", "Revised:", self.revised]
        grid[self.header_row - 1] = ["", "", "", "", "", "Delayed Days"]
        grid[self.header_row] = ["", *self.header, "", "NHS", "Social Care", "Both", "Total"]
        everyone = self.areas + self.others
        england = [sum(getattr(a, k) for a in everyone if isinstance(getattr(a, k), (int, float)))
                   for k in ("nhs", "social_care", "both")]
        grid.append(["", "-", "-", "-", "England", *england, sum(england)])
        grid.append([])
        grid += [["", *a.values()] for a in self.areas + self.others]
        return grid


def write_grid(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write sheets of cells; the format follows the suffix (.xls via xlwt, .xlsx via openpyxl, .csv)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = list(sheets.values())[-1]  # a CSV export holds the one sheet that matters: the last given
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows(grid)
    elif suffix == ".xlsx":
        import openpyxl
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, grid in sheets.items():
            sheet = book.create_sheet(name)
            for r, row in enumerate(grid, start=1):
                for c, value in enumerate(row, start=1):
                    if value not in (None, ""):
                        sheet.cell(row=r, column=c, value=value)
        book.save(path)
    else:
        import xlwt
        book = xlwt.Workbook()
        for name, grid in sheets.items():
            sheet = book.add_sheet(name)
            for r, row in enumerate(grid):
                for c, value in enumerate(row):
                    if value not in (None, ""):
                        sheet.write(r, c, value)
        book.save(str(path))
    return path


def write_delays_workbook(path: Path, sheet: DelaysSheet) -> Path:
    return write_grid(path, {"England": [["", "England summary"]], sheet.sheet_name: sheet.rows()})


def write_population_workbook(path: Path, populations: dict[str, tuple[str, int]], vintage: str = "mid-2016",
                              sheet_name: str = "MYE2 - All", with_geography: bool = False,
                              omit_ages: tuple[int, ...] = ()) -> Path:
    """MYE2 layout: one row per code with 91 single years; each adult age holds population/73 (rest at age 90).

    omit_ages blanks the header cell of those ages (a damaged or re-laid-out sheet)."""
    extra = ["Geography1"] if with_geography else []
    grid: list[list[object]] = [["Contents"], [], [f"MYE2: Population estimates: Persons by single year of age "
                                                   f"and sex for local authorities in the UK, {vintage}"], []]
    grid.append(["Code", "Name", *extra, "All ages", *(None if age in omit_ages else age for age in range(0, 91))])
    for code, (name, adults) in populations.items():
        per_age, ages = adults // 73, [0] * 91
        for age in range(18, 90):
            ages[age] = per_age
        ages[90] = adults - per_age * 72
        ages[0] = 1000
        grid.append([code, name, *(["Unitary Authority"] if with_geography else []), sum(ages), *ages])
    return write_grid(path, {"Contents": [["Contents"]], sheet_name: grid})


def write_month_workbook(folder: Path, period: str, areas: list[Area], others: list[Area] | None = None,
                         suffix: str = ".xls", file_name: str | None = None) -> Path:
    """One monthly 'LA Type B' workbook for `period` ('December 2017') in folder; named after the period
    unless file_name is given."""
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name or f"LA-Type-B-{period.replace(' ', '-')}{suffix}"
    sheet = DelaysSheet(period, areas, others if others is not None else [Area("-", "Resident In Wales", 3, 1, 0)])
    return write_delays_workbook(folder / name, sheet)


def write_quarter_workbooks(folder: Path, periods: list[str], areas: list[Area] | dict[str, list[Area]],
                            suffix: str = ".xls") -> list[Path]:
    """One workbook per period; areas is one list for every month or a list per period."""
    return [write_month_workbook(folder, p, areas[p] if isinstance(areas, dict) else areas, suffix=suffix)
            for p in periods]


def read_real_sheet(source: Path, sheet_name: str = "LA - by responsible org") -> list[list[object]]:
    """A real workbook's sheet as a grid (xlrd positions), to edit and write back with write_grid."""
    import xlrd
    sheet = xlrd.open_workbook(str(source)).sheet_by_name(sheet_name)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


def set_cell(grid: list[list[object]], ref: str, value: object) -> None:
    """grid[A1] = value, for single-letter columns."""
    grid[int(ref[1:]) - 1][ord(ref[0]) - 65] = value
