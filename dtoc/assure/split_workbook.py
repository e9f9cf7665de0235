"""ccg_split.xlsx, written by the one xlsx writer (dtoc.report.xlsx_writer):

By CCG    one row per HWB and CCG: its share, and its share of the HWB's baseline, expected and reduced NHS
          daily delays
Monthly   one row per HWB, CCG and month of the plan year (ccg_split.csv): the CCG's share of the glide path
Summary   HWBs, CCGs and rows; the publication's date, validation, rules and sources
Columns   each header -> the column's machine name in ccg_split.csv -> meaning
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.assure.split import BASELINE, EXPECTED
from dtoc.report.about import About, put_about
from dtoc.report.cells import columns_sheet, put, put_row, set_widths, table_sheet
from dtoc.report.xlsx_writer import Sheet, write_workbook

CCG_COLUMNS = ("hwb_name", "hwb_code", "ccg_name", "ccg_code", "nhs_share", BASELINE, EXPECTED, "reduction_nhs_daily")


def by_ccg(split: pl.DataFrame) -> pl.DataFrame:
    """One row per HWB and CCG (the figures that do not change by month), by HWB code and CCG code."""
    return split.unique(["hwb_code", "ccg_code"], keep="first", maintain_order=True).select(CCG_COLUMNS)


def summary_sheet(title: str, split: pl.DataFrame, about: About) -> Sheet:
    """The title, the HWBs, CCGs and rows split, then the About block."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, title, font="title")
    put_row(sheet, 3, ["Health and Wellbeing Boards split", split["hwb_code"].n_unique()])
    put_row(sheet, 4, ["CCG shares", split.select("hwb_code", "ccg_code").n_unique()])
    put_row(sheet, 5, ["Rows (HWB, CCG and month)", split.height])
    set_widths(sheet, (36, 40))
    put_about(sheet, 7, about)
    return sheet


def write_split_workbook(path: Path, title: str, split: pl.DataFrame, about: About) -> Path:
    """ccg_split.xlsx (see the module docstring); the same table and About give the same bytes."""
    sheets = [
        table_sheet("By CCG", CCG_COLUMNS, by_ccg(split).iter_rows(), frozen_columns=1),
        table_sheet("Monthly", split.columns, split.iter_rows(), frozen_columns=2),
        summary_sheet(title, split, about),
        columns_sheet([("By CCG", CCG_COLUMNS), ("Monthly", split.columns)]),
    ]
    return write_workbook(path, sheets, "DToC CCG split")
