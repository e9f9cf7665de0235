"""Cell helpers for the publication pack's workbooks: values, styles, header rows and column widths."""
from __future__ import annotations

from typing import Sequence

from dtoc.report.xlsx_writer import Sheet, Style


def put(sheet: Sheet, row: int, column: int, value: object, number_format: str | None = None,
        font: str = "normal", fill: bool = False, wrap: bool = False) -> None:
    sheet.put(row, column, value, Style(number_format, font, fill, wrap))


def put_row(sheet: Sheet, row: int, values: Sequence[object], formats: Sequence[str | None] = (),
            font: str = "normal", fill: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, formats[column - 1] if column <= len(formats) else None, font, fill)


def put_header(sheet: Sheet, row: int, labels: Sequence[str]) -> None:
    put_row(sheet, row, labels, font="bold", fill=True)


def set_widths(sheet: Sheet, widths: Sequence[float]) -> None:
    sheet.widths.update(enumerate(widths, start=1))
