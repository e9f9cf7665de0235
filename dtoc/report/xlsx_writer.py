"""The one .xlsx writer of every publication: each workbook (per HWB, national, monitoring, assurance, CCG
split) is a list of Sheets of typed cells, laid out by dtoc.report.cells and written here with XlsxWriter.

Every value is converted explicitly (dtoc.report.xlsx_values) or refused with an error naming the sheet and cell;
text is written as text (never a formula, URL or number); dates are shown as dates even where no format is given.
Numbers are written in Python's shortest round-trip form: XlsxWriter's own '%.16G' reads back 1 ulp off for 718
of the 1,963 figures of the real table (docs/design_decisions.md). Every sheet prints on A4, landscape, one page
wide, its header rows repeated; document properties carry a fixed date, so the same sheets give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from dtoc.errors import DtocError
from dtoc.report.xlsx_values import Refused, excel_value

DOCUMENT_TIME = datetime(2018, 9, 30)
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
FONTS: dict[str, dict[str, object]] = {
    "normal": {},
    "bold": {"bold": True},
    "title": {"bold": True, "font_size": 13},
    "mono": {"font_name": "Consolas", "font_size": 10},
}
HEADER_FILL, A4 = "#DCE6F1", 9
FOOTER = "&L&A&Rpage &P of &N"
DATE, DATETIME = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"


class Style(NamedTuple):
    """How a cell looks: number format (display only), font (a FONTS key), header fill, wrapped text, and a
    background colour ('#FBE0E0') for a value that is coloured by what it says (a verdict)."""

    number_format: str | None = None
    font: str = "normal"
    fill: bool = False
    wrap: bool = False
    colour: str | None = None


PLAIN = Style()


@dataclass
class Sheet:
    """One worksheet: cells by (row, column), both 1-based, and its layout. `freeze` is the top-left cell of
    the scrolling pane ('B5'), `print_rows` the (first, last) rows printed at the top of every page."""

    name: str
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    freeze: str | None = None
    autofilter: str | None = None
    print_rows: tuple[int, int] | None = None

    def put(self, row: int, column: int, value: object, style: Style = PLAIN) -> None:
        self.cells[(row, column)] = (value, style)


def column_letter(column: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    return xl_rowcol_to_cell(0, column - 1)[:-1]


class ExactWorksheet(Worksheet):
    """XlsxWriter's worksheet, but numbers are written as repr (shortest round trip) instead of '%.16G'."""

    def _xml_number_element(self, number, attributes=()) -> None:
        # the attributes are the cell reference and the style index: nothing to escape
        attrs = "".join(f' {key}="{value}"' for key, value in attributes)
        self.fh.write(f"<c{attrs}><v>{number!r}</v></c>")


class Formats:
    """One XlsxWriter format per Style, made on first use."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.made: dict[Style, object] = {}

    def __call__(self, style: Style):
        if style not in self.made:
            properties = dict(FONTS[style.font])
            if style.number_format:
                properties["num_format"] = style.number_format
            if style.fill or style.colour:
                properties.update(bg_color=style.colour or HEADER_FILL, pattern=1)
            if style.wrap:
                properties.update(text_wrap=True, valign="top")
            self.made[style] = self.workbook.add_format(properties)
        return self.made[style]


WRITERS = {
    "blank": Worksheet.write_blank,
    "string": Worksheet.write_string,
    "boolean": Worksheet.write_boolean,
    "number": Worksheet.write_number,
    "datetime": Worksheet.write_datetime,
}


def write_cells(worksheet: ExactWorksheet, sheet: Sheet, formats: Formats, where: str) -> None:
    """Each cell with the writer of its converted kind (write_string for text: never a formula)."""
    for (row, column), (value, style) in sheet.cells.items():  # XlsxWriter writes them in sheet order
        try:
            kind, converted = excel_value(value)
        except Refused as why:
            raise DtocError(
                f"{where} sheet '{sheet.name}' cell {xl_rowcol_to_cell(row - 1, column - 1)}: cannot "
                f"write {type(value).__name__} {value!r:.60} to a workbook: {why}"
            ) from None
        if kind == "datetime" and not style.number_format:  # without a date format it reads as a number
            style = style._replace(number_format=DATE if type(converted) is date else DATETIME)
        if kind != "blank" or style != PLAIN:
            WRITERS[kind](worksheet, row - 1, column - 1, converted, formats(style))


def lay_out(worksheet: ExactWorksheet, sheet: Sheet, formats: Formats) -> None:
    """Merged ranges, widths, heights, frozen pane, filter and the print set-up."""
    for ref in sheet.merged:  # the top-left cell's value is written over the merge by write_cells
        (first_row, first_column), (last_row, last_column) = (xl_cell_to_rowcol(part) for part in ref.split(":"))
        style = sheet.cells.get((first_row + 1, first_column + 1), (None, PLAIN))[1]
        worksheet.merge_range(first_row, first_column, last_row, last_column, "", formats(style))
    for column, width in sorted(sheet.widths.items()):
        worksheet.set_column(column - 1, column - 1, width)
    for row, height in sorted(sheet.heights.items()):
        worksheet.set_row(row - 1, height)
    if sheet.freeze:
        worksheet.freeze_panes(sheet.freeze)
    if sheet.autofilter:
        worksheet.autofilter(sheet.autofilter)
    if sheet.print_rows:
        worksheet.repeat_rows(sheet.print_rows[0] - 1, sheet.print_rows[1] - 1)
    worksheet.set_paper(A4)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    worksheet.set_footer(FOOTER)


def workbook_bytes(sheets: list[Sheet], title: str = "") -> bytes:
    """The .xlsx file holding the sheets, the first one selected."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)  # closed (written) only when every cell converted
    workbook.set_properties({"title": title, "author": "dtoc", "created": DOCUMENT_TIME})
    formats = Formats(workbook)
    for sheet in sheets:
        try:
            worksheet = workbook.add_worksheet(sheet.name, worksheet_class=ExactWorksheet)
        except XlsxWriterException as error:  # an invalid or repeated sheet name
            raise DtocError(f"workbook {title!r}: sheet name {sheet.name!r}: {error}") from error
        lay_out(worksheet, sheet, formats)
        write_cells(worksheet, sheet, formats, f"workbook {title!r}")
    workbook.close()
    return buffer.getvalue()


def write_workbook(path: Path, sheets: list[Sheet], title: str = "") -> Path:
    """Write the workbook to path (nothing is written if a value is refused); returns path."""
    path.write_bytes(workbook_bytes(sheets, title))
    return path
