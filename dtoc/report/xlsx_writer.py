"""A small, fast writer of .xlsx workbooks (SpreadsheetML), for the publication pack's 150-odd workbooks.

openpyxl writes a three-sheet workbook in about 80 ms here (pure-Python XML, a temporary file per sheet); this
writes one in a few. It knows only what the pack needs: text, numbers, dates and booleans, a few fonts, one
header fill, number formats, wrapped text, column widths, row heights, merged cells, frozen panes and an
autofilter. Text is always a string cell (never a formula); numbers keep full precision (shortest repr);
zip entries carry a fixed time and document properties a fixed date, so equal content gives equal bytes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_TIME = (2018, 9, 30, 0, 0, 0)
DOCUMENT_TIME = "2018-09-30T00:00:00Z"
FONTS = {"normal": '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
         "bold": '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
         "title": '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>',
         "mono": '<font><sz val="10"/><name val="Consolas"/><family val="3"/></font>'}
BUILTIN_FORMATS = {None: 0, "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Style:
    """How a cell looks: number format (display only), font (a FONTS key), header fill, wrapped text."""

    number_format: str | None = None
    font: str = "normal"
    fill: bool = False
    wrap: bool = False


PLAIN = Style()


@dataclass
class Sheet:
    """One worksheet: cells by (row, column), 1-based, and its layout."""

    name: str
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    freeze: str | None = None
    autofilter: str | None = None

    def put(self, row: int, column: int, value: object, style: Style = PLAIN) -> None:
        self.cells[(row, column)] = (value, style)


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


def split_ref(ref: str) -> tuple[int, int]:
    """'C2' -> (row 2, column 3)."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits), column


def xml_text(text: str) -> str:
    return escape(EXCEL_ESCAPE.sub(r"_x005F_\1", NOT_XML.sub("", text)))


class Registry:
    """Shared strings and cell styles, numbered in order of first use."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.string_count = 0
        self.styles: dict[Style, int] = {PLAIN: 0}
        self.formats: dict[str, int] = {}

    def string(self, text: str) -> int:
        self.string_count += 1
        return self.strings.setdefault(text, len(self.strings))

    def style(self, style: Style) -> int:
        if style.number_format not in BUILTIN_FORMATS and style.number_format not in self.formats:
            self.formats[style.number_format] = 164 + len(self.formats)
        return self.styles.setdefault(style, len(self.styles))


def cell_xml(ref: str, value: object, style_id: int, registry: Registry) -> str:
    s = f' s="{style_id}"' if style_id else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style_id else ""
    if isinstance(value, str):
        return f'<c r="{ref}"{s} t="s"><v>{registry.string(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        value = (value - datetime(1899, 12, 30)).total_seconds() / 86400
    elif isinstance(value, date):
        value = (value - EPOCH).days
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cell {ref}: {value} cannot be written to a workbook")
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


def pane_xml(freeze: str | None) -> str:
    if not freeze or freeze == "A1":
        return ""
    row, column = split_ref(freeze)
    active = {(True, True): "bottomRight", (False, True): "bottomLeft", (True, False): "topRight"}[
        (column > 1, row > 1)]
    split = (f' xSplit="{column - 1}"' if column > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
    return (f'<pane{split} topLeftCell="{freeze}" activePane="{active}" state="frozen"/>'
            f'<selection pane="{active}" activeCell="{freeze}" sqref="{freeze}"/>')


def sheet_xml(sheet: Sheet, selected: bool, registry: Registry) -> str:
    rows: dict[int, list[str]] = {}
    for (row, column), (value, style) in sorted(sheet.cells.items()):
        rows.setdefault(row, []).append(cell_xml(cell_ref(row, column), value, registry.style(style), registry))
    for row in sheet.heights:
        rows.setdefault(row, [])
    last_row = max(rows, default=1)
    last_column = max((column for _, column in sheet.cells), default=1)
    tab = ' tabSelected="1"' if selected else ""
    parts = [HEAD, f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1:{cell_ref(last_row, last_column)}"/>',
             f'<sheetViews><sheetView{tab} workbookViewId="0">',
             pane_xml(sheet.freeze), '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if sheet.widths:
        parts.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                                        for c, w in sorted(sheet.widths.items())) + "</cols>")
    parts.append("<sheetData>")
    for row in sorted(rows):
        height = f' ht="{sheet.heights[row]:g}" customHeight="1"' if row in sheet.heights else ""
        parts.append(f'<row r="{row}"{height}>{"".join(rows[row])}</row>')
    parts.append("</sheetData>")
    if sheet.autofilter:
        parts.append(f'<autoFilter ref="{sheet.autofilter}"/>')
    if sheet.merged:
        parts.append(f'<mergeCells count="{len(sheet.merged)}">'
                     + "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged) + "</mergeCells>")
    parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
    return "".join(parts)


def styles_xml(registry: Registry) -> str:
    fonts = list(FONTS)
    formats = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in registry.formats.items())
    xfs = []
    for style in registry.styles:
        number = BUILTIN_FORMATS.get(style.number_format, registry.formats.get(style.number_format))
        align = '<alignment wrapText="1" vertical="top"/>' if style.wrap else ""
        xfs.append(f'<xf numFmtId="{number}" fontId="{fonts.index(style.font)}" fillId="{2 if style.fill else 0}" '
                   f'borderId="0" xfId="0" applyNumberFormat="{int(number != 0)}" applyFont="1" '
                   f'applyFill="{int(style.fill)}" applyAlignment="{int(style.wrap)}">{align}</xf>')
    return "".join([
        HEAD, f'<styleSheet xmlns="{MAIN}">',
        f'<numFmts count="{len(registry.formats)}">{formats}</numFmts>' if registry.formats else "",
        f'<fonts count="{len(FONTS)}">{"".join(FONTS.values())}</fonts>',
        '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill><fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/><bgColor indexed="64"/>'
        '</patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>',
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'])
