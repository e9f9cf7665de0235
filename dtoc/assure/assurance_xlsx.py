"""assurance.xlsx for assurers (XlsxWriter): a Summary sheet, then one sheet per output table, formatted.

Each table sheet has a bold, frozen header with filters, widths fitted to the content, number formats by
column type (values keep full precision), and verdict cells coloured. Text is always written as text (no
formulas, URLs or numbers made from strings) and the document date is fixed, so reruns give the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from dtoc.assure.verdicts import IN_LINE, NO_PLAN, NOT_IN_LINE, VERDICT_MEANINGS, VERDICTS

FIXED_TIME = datetime(2018, 9, 30)
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}
NUMBER_FORMATS = {pl.Float64: "#,##0.0", pl.Int64: "#,##0", pl.Date: "mmm yyyy"}
VERDICT_COLOURS = {IN_LINE: "#DFF3E4", NOT_IN_LINE: "#FBE0E0", NO_PLAN: "#EEEEEE"}
REATTRIBUTED_COLOUR = "#FFF2CC"
MAX_WIDTH = 70


def write_assurance_workbook(
    path: Path, title: str, summary_lines: list[tuple[str, object]], tables: list[tuple[str, pl.DataFrame]]
) -> Path:
    """The workbook: Summary (label, value lines) and one sheet per (sheet name, table)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), OPTIONS)
    book.set_properties({"title": "DToC plan assurance", "author": "dtoc", "created": FIXED_TIME})
    formats: dict[str | type[pl.DataType], Any] = {
        "header": book.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
    }
    formats.update({dtype: book.add_format({"num_format": code}) for dtype, code in NUMBER_FORMATS.items()})
    write_summary_sheet(book.add_worksheet("Summary"), title, summary_lines, formats)
    for name, frame in tables:
        write_table_sheet(book, book.add_worksheet(name), frame, formats)
    book.close()
    return path


def write_summary_sheet(sheet, title: str, lines: list[tuple[str, object]], formats: dict) -> None:
    sheet.write_string(0, 0, title, formats["title"])
    for row, (label, value) in enumerate(lines, start=2):
        sheet.write_string(row, 0, label, formats["header"])
        write_value(sheet, row, 1, value, formats)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 100)


def write_value(sheet, row: int, column: int, value: object, formats: dict) -> None:
    """One cell by the value's type: blank, boolean, whole number, number, month, or text."""
    if value is None:
        sheet.write_blank(row, column, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int):
        sheet.write_number(row, column, value, formats[pl.Int64])
    elif isinstance(value, float):
        sheet.write_number(row, column, value, formats[pl.Float64])
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), formats[pl.Date])
    else:
        sheet.write_string(row, column, str(value))


def column_writer(sheet, dtype, formats: dict):
    """How one column's cells are written, chosen once by the column's type (empty cells are left blank)."""
    if dtype == pl.Boolean:
        return lambda row, column, value: sheet.write_boolean(row, column, value)
    if dtype in (pl.Int64, pl.Float64):
        return lambda row, column, value: sheet.write_number(row, column, value, formats[dtype])
    if dtype == pl.Date:
        return lambda row, column, value: sheet.write_datetime(
            row, column, datetime(value.year, value.month, 1), formats[dtype]
        )
    return lambda row, column, value: sheet.write_string(row, column, value)


def column_width(series: pl.Series) -> float:
    """Characters of the widest value as shown (numbers with thousands separators and one decimal)."""
    if series.dtype == pl.String:
        widest = series.str.len_chars().max()  # None when every cell is empty
        longest = widest if isinstance(widest, int) else 0
    elif series.dtype in (pl.Int64, pl.Float64):
        longest = max(
            (len(f"{v:,.1f}") for v in (series.min(), series.max()) if isinstance(v, (int, float))), default=0
        )
    else:
        longest = 9
    return min(max(longest, len(series.name)) + 2, MAX_WIDTH)


def write_table_sheet(book, sheet, frame: pl.DataFrame, formats: dict) -> None:
    """The frame with a frozen, filtered header, fitted widths and coloured verdicts."""
    writers = [column_writer(sheet, dtype, formats) for dtype in frame.dtypes]
    for column, name in enumerate(frame.columns):
        sheet.write_string(0, column, name, formats["header"])
        sheet.set_column(column, column, column_width(frame[name]))
    for row, values in enumerate(frame.iter_rows(), start=1):
        for column, value in enumerate(values):
            if value is not None:
                writers[column](row, column, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(frame.height, 1), len(frame.columns) - 1)
    if "verdict" in frame.columns:
        colour_verdicts(book, sheet, frame.columns.index("verdict"), frame.height)
    elif set(VERDICTS) <= set(frame.columns):
        for offset, verdict in enumerate(VERDICTS):
            sheet.write_string(frame.height + 2 + offset, 0, f"{verdict}: {VERDICT_MEANINGS[verdict]}")


def colour_verdicts(book, sheet, column: int, rows: int) -> None:
    for verdict in VERDICTS:
        colour = VERDICT_COLOURS.get(verdict, REATTRIBUTED_COLOUR)
        sheet.conditional_format(
            1,
            column,
            max(rows, 1),
            column,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{verdict}"',
                "format": book.add_format({"bg_color": colour}),
            },
        )
