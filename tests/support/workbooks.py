"""Writers of small DToC and MYE workbooks for tests, in the published layouts (.xls, .xlsx or CSV)."""

from __future__ import annotations

import csv
import itertools
import re
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
        england = [
            sum(getattr(a, k) for a in everyone if isinstance(getattr(a, k), (int, float)))
            for k in ("nhs", "social_care", "both")
        ]
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
        xls_book(sheets).save(str(path))
    return path


def xls_book(sheets: dict[str, list[list[object]]]):
    """An xlwt workbook holding the sheets' cells (empty cells left out)."""
    import xlwt

    book = xlwt.Workbook()
    for name, grid in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    return book


def write_delays_workbook(path: Path, sheet: DelaysSheet) -> Path:
    return write_grid(path, {"England": [["", "England summary"]], sheet.sheet_name: sheet.rows()})


def write_population_workbook(
    path: Path,
    populations: dict[str, tuple[str, int]],
    vintage: str = "mid-2016",
    sheet_name: str = "MYE2 - All",
    with_geography: bool = False,
    omit_ages: tuple[int, ...] = (),
    cells: dict[str, object] | None = None,
) -> Path:
    """MYE2 layout: one row per code with 91 single years; each adult age holds population/73 (rest at age 90).

    omit_ages blanks the header cell of those ages (a damaged or re-laid-out sheet); cells overwrites cells by
    A1 reference (single-letter columns) after the layout is written."""
    extra = ["Geography1"] if with_geography else []
    grid: list[list[object]] = [
        ["Contents"],
        [],
        [
            f"MYE2: Population estimates: Persons by single year of age "
            f"and sex for local authorities in the UK, {vintage}"
        ],
        [],
    ]
    grid.append(["Code", "Name", *extra, "All ages", *(None if age in omit_ages else age for age in range(0, 91))])
    for code, (name, adults) in populations.items():
        per_age, ages = adults // 73, [0] * 91
        for age in range(18, 90):
            ages[age] = per_age
        ages[90] = adults - per_age * 72
        ages[0] = 1000
        grid.append([code, name, *(["Unitary Authority"] if with_geography else []), sum(ages), *ages])
    for ref, value in (cells or {}).items():
        set_cell(grid, ref, value)
    return write_grid(path, {"Contents": [["Contents"]], sheet_name: grid})


NUMERIC_AGES: tuple[object, ...] = tuple(float(age) for age in range(91))  # 0.0 ... 90.0 (90 = 90 and over)
PLUS_AGES: tuple[object, ...] = (*(float(age) for age in range(90)), "90+")  # mid-2019, mid-2020
AGE_TEXT: tuple[object, ...] = (*(f"Age {age}" for age in range(90)), "Age 90+")


def single_years(seed: int) -> list[int]:
    """People at the ages 0 to 90 (90 = 90 and over) of one made-up area: a different count at every age and seed,
    so a table read from the wrong sheet, row or column gives another sum."""
    return [1_000 + 37 * seed + (age * 53 + seed * 11) % 400 for age in range(91)]


@dataclass
class PeopleByAgeSheet:
    """A sheet of people by single year of age as an ONS mid-year estimates release lays it out: `titles` on the
    first rows ('' for a blank row), the header on header_row (0-based): `labels` in the release's spelling, then
    `ages`; one row per area: its code and name, 'Unitary Authority' under a Geography label, 'England' under
    COUNTRY, the sum of its single years under All ages, then its single years (areas: code -> (name, years))."""

    name: str
    titles: list[str]
    areas: dict[str, tuple[str, list[int]]]
    labels: tuple[str, ...] = ("Code", "Name", "All ages")
    ages: tuple[object, ...] = NUMERIC_AGES
    header_row: int = 4

    def rows(self) -> list[list[object]]:
        grid: list[list[object]] = [[title] for title in self.titles]
        grid += [[] for _ in range(self.header_row - len(grid))]
        grid.append([*self.labels, *self.ages])
        for code, (name, years) in self.areas.items():
            values = {"code": code, "name": name, "country": "England", "allages": sum(years)}
            values |= {"geography": "Unitary Authority", "geography1": "Unitary Authority"}
            grid.append([*(values[label.lower().replace(" ", "")] for label in self.labels), *years])
        return grid


def write_release(
    path: Path, tables: list[PeopleByAgeSheet], others: dict[str, list[list[object]]] | None = None
) -> Path:
    """A workbook of the sheets `others` (e.g. a Contents sheet) followed by the tables' sheets, in that order."""
    return write_grid(path, {**(others or {}), **{table.name: table.rows() for table in tables}})


def write_month_workbook(
    folder: Path,
    period: str,
    areas: list[Area],
    others: list[Area] | None = None,
    suffix: str = ".xls",
    file_name: str | None = None,
) -> Path:
    """One monthly 'LA Type B' workbook for `period` ('December 2017') in folder; named after the period
    unless file_name is given."""
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name or f"LA-Type-B-{period.replace(' ', '-')}{suffix}"
    sheet = DelaysSheet(period, areas, others if others is not None else [Area("-", "Resident In Wales", 3, 1, 0)])
    return write_delays_workbook(folder / name, sheet)


def write_quarter_workbooks(
    folder: Path, periods: list[str], areas: list[Area] | dict[str, list[Area]], suffix: str = ".xls"
) -> list[Path]:
    """One workbook per period; areas is one list for every month or a list per period."""
    return [
        write_month_workbook(folder, p, areas[p] if isinstance(areas, dict) else areas, suffix=suffix) for p in periods
    ]


def read_real_sheet(source: Path, sheet_name: str = "LA - by responsible org") -> list[list[object]]:
    """A real workbook's sheet as a grid (xlrd positions), to edit and write back with write_grid."""
    import xlrd

    sheet = xlrd.open_workbook(str(source)).sheet_by_name(sheet_name)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


def set_cell(grid: list[list[object]], ref: str, value: object) -> None:
    """grid[A1] = value, for single-letter columns."""
    grid[int(ref[1:]) - 1][ord(ref[0]) - 65] = value


# --- hostile files: written by hand, byte by byte where no library would write them ------------------------

RAW_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        "{overrides}</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
}
SHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xml_cell(ref: str, value: object) -> str:
    """One <c> element: numbers as <v>, text inline (no shared strings); ref None leaves out the r attribute."""
    from xml.sax.saxutils import escape

    where = f' r="{ref}"' if ref else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<c{where}><v>{value!r}</v></c>"
    return f'<c{where} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def xml_rows(grid: list[list[object]]) -> list[str]:
    """<row> elements for a grid, with true A1 references; empty rows and empty cells are left out, as Excel does."""
    from dtoc.ingest.sheet_reader import cell_ref

    rows = []
    for r, values in enumerate(grid):
        cells = "".join(xml_cell(cell_ref(r, c), v) for c, v in enumerate(values) if v not in (None, ""))
        if cells:
            rows.append(f'<row r="{r + 1}">{cells}</row>')
    return rows


def write_raw_xlsx(
    path: Path, sheets: dict[str, object], dimension: str | None = None, extra_parts: dict[str, bytes] | None = None
) -> Path:
    """An .xlsx assembled by hand: each sheet is an iterable of <row> XML strings, streamed into the zip, so a test
    can write in about a second what a spreadsheet library would take minutes over (a million empty rows).
    dimension, if given, is written as every sheet's <dimension ref> (true or not); extra_parts are added as
    they are (name -> bytes)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_CONTENT_TYPE}"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr("[Content_Types].xml", RAW_XLSX_PARTS["[Content_Types].xml"].format(overrides=overrides))
        archive.writestr("_rels/.rels", RAW_XLSX_PARTS["_rels/.rels"])
        for name, content in (extra_parts or {}).items():
            archive.writestr(name, content)
        names = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1))
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>{names}</sheets></workbook>',
        )
        targets = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{targets}</Relationships>',
        )
        for i, rows in enumerate(sheets.values(), 1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'.encode())
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                rows = iter(rows)
                while chunk := "".join(itertools.islice(rows, 10_000)):
                    sheet.write(chunk.encode())
                sheet.write(b"</sheetData></worksheet>")
    return path


def empty_rows(first: int, last: int):
    """<row r="first"/> ... <row r="last"/>: rows that exist in the file but hold nothing."""
    return (f'<row r="{r}"/>' for r in range(first, last + 1))


def encrypt_xlsx(source: Path, target: Path, password: str = "secret") -> Path:
    """The .xlsx at source, password-protected as Excel does it (an OLE2 file holding an 'EncryptedPackage')."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, target.open("wb") as encrypted:
        OOXMLFile(plain).encrypt(password, encrypted)
    return target


def write_filepass_xls(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xls whose workbook stream declares RC4 encryption (a FILEPASS record right after BOF, as Excel writes a
    password-protected workbook); the cells are not actually encrypted: no library here encrypts .xls, and
    readers stop at FILEPASS."""
    import os
    import struct

    from xlwt import CompoundDoc

    stream = xls_book(sheets).get_biff_data()
    bof_end = 4 + struct.unpack("<H", stream[2:4])[0]
    payload = struct.pack("<HHH", 1, 1, 1) + os.urandom(48)  # RC4, version 1.1, salt, verifier and its hash
    filepass = struct.pack("<HH", 0x002F, len(payload)) + payload
    CompoundDoc.XlsDoc().save(str(path), stream[:bof_end] + filepass + stream[bof_end:])
    return path


# --- cells no writer here writes by value: Excel errors, streamed parts -------------------------------------


def write_xls_with_errors(path: Path, sheets: dict[str, list[list[object]]], errors: dict[str, dict[str, str]]) -> Path:
    """An .xls holding the sheets' cells and, at errors[sheet][A1 reference], real error cells (BIFF BOOLERR
    records, as Excel saves a formula's error result) holding the error shown ('#REF!'); single-letter columns.
    Errors are written by their BIFF codes (xlwt's own table misnames #N/A and #VALUE!)."""
    import xlrd

    codes = {text: code for code, text in xlrd.error_text_from_code.items()}
    sheets = {name: [list(row) for row in grid] for name, grid in sheets.items()}
    for name, cells in errors.items():
        for ref in cells:
            set_cell(sheets[name], ref, None)
    book = xls_book(sheets)
    for name, cells in errors.items():
        sheet = book.get_sheet(list(sheets).index(name))
        for ref, error in cells.items():
            sheet.row(int(ref[1:]) - 1).set_cell_error(ord(ref[0]) - 65, codes[error])
    book.save(str(path))
    return path


def xml_rows_with_errors(grid: list[list[object]], errors: dict[str, str]) -> list[str]:
    """xml_rows(grid) with the cells at errors' references written as error cells (t="e"), as Excel writes a
    formula whose result is an error; the grid must hold some text at those references."""
    from xml.sax.saxutils import escape

    rows = xml_rows(grid)
    for ref, error in errors.items():
        rows = [
            re.sub(f'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}" t="e"><v>{escape(error)}</v></c>', row) for row in rows
        ]
    return rows


def add_streamed_part(path: Path, name: str, chunks) -> Path:
    """Append a part to a written .xlsx (a zip), streaming its content from chunks (bytes), so a test or a
    benchmark can add a part of a gigabyte without holding it."""
    import zipfile

    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w", force_zip64=True) as part:
        for chunk in chunks:
            part.write(chunk)
    return path
