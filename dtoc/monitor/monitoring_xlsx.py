"""monitoring.xlsx, written by the publication's one xlsx writer (dtoc.report.xlsx_writer).

Sheets: National (one row per month and attribution, England as the sum of the HWBs), By HWB (one row per HWB,
month and attribution), Notes (missing months, absent HWBs, cells not reported) and Columns (each header -> the
machine name in monitoring.csv / monitoring_national.csv -> meaning). Headers in words, number formats (daily
figures to two decimals; the cells keep full precision), widths, filters, frozen headers, print set-up.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.report.cells import columns_sheet, put, put_header, table_sheet
from dtoc.report.xlsx_writer import Sheet, write_workbook

NO_NOTES = "every month of the year has a workbook and every HWB a row in each"


def notes_sheet(notes: list[str]) -> Sheet:
    """One note per row under the header 'Note'."""
    sheet = Sheet("Notes")
    put_header(sheet, 1, ["Note"])
    for number, note in enumerate(notes or [NO_NOTES], start=2):
        put(sheet, number, 1, note, wrap=True)
    sheet.widths[1], sheet.freeze, sheet.print_rows = 120, "A2", (1, 1)
    return sheet


def write_monitoring_workbook(monitoring: pl.DataFrame, national: pl.DataFrame, notes: list[str], path: Path) -> Path:
    """monitoring.xlsx (see the module docstring); the same tables and notes give the same bytes."""
    sheets = [
        table_sheet("National", national.columns, national.iter_rows(), frozen_columns=1),
        table_sheet("By HWB", monitoring.columns, monitoring.iter_rows(), frozen_columns=2),
        notes_sheet(notes),
        columns_sheet([("National", national.columns), ("By HWB", monitoring.columns)]),
    ]
    return write_workbook(path, sheets, "DToC monitoring")
