"""assurance.xlsx, written by the one xlsx writer (dtoc.report.xlsx_writer), in the order an assurer reads it:

  Needs attention   the HWBs whose plan is not in line, reattributed without evidence, without a plan, then
                    reattributed with evidence (tables.attention_first); each with its worst month, the gap in
                    delayed days that month and its sentence of feedback first
  By region         HWBs per region and verdict, then England
  In line           the HWBs whose plan is in line, by region
  Months            one row per HWB and month, the attributions' planned and expected days side by side
  Summary           HWBs per verdict with its meaning; the publication's date, validation, rules and sources
  Columns           each header -> the column's machine name in the CSV files -> meaning

Headers and verdicts are in words, verdict cells coloured; the CSV and Parquet files keep the codes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.assure.tables import attention_first
from dtoc.assure.verdicts import ASSURANCE_COLUMNS, ATTENTION_ORDER, IN_LINE, VERDICT_LABELS, VERDICT_MEANINGS
from dtoc.report.about import About, put_about
from dtoc.report.cells import columns_sheet, put, put_header, put_row, set_widths, table_sheet
from dtoc.report.xlsx_writer import Sheet, write_workbook

FIRST = ("hwb_name", "hwb_code", "region", "verdict", "worst_month", "worst_total_gap_days", "feedback")
HWB_COLUMNS = (*FIRST, *(c for c in ASSURANCE_COLUMNS if c not in FIRST))
REGION_COLUMNS = ("region", "hwbs", *ATTENTION_ORDER)
LONG_TEXT = ("feedback", "evidence")


def hwb_sheet(name: str, hwbs: pl.DataFrame) -> Sheet:
    """The HWBs given, in their order, the columns an assurer reads first first; frozen at the name."""
    return table_sheet(name, HWB_COLUMNS, hwbs.select(HWB_COLUMNS).iter_rows(), frozen_columns=1, wrap=LONG_TEXT)


def region_sheet(by_region: pl.DataFrame) -> Sheet:
    """HWBs per region and verdict (the verdicts that need attention first), then England under the table."""
    sheet = table_sheet("By region", REGION_COLUMNS, by_region.select(REGION_COLUMNS).iter_rows(), frozen_columns=1)
    totals = ["England", *(int(by_region[c].sum()) for c in REGION_COLUMNS[1:])]
    put_row(sheet, by_region.height + 3, totals, font="bold")
    return sheet


def summary_sheet(title: str, counts: dict[str, int], about: About) -> Sheet:
    """The title, HWBs per verdict (in the order an assurer reads them) with its meaning, then the About block."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, title, font="title")
    put_header(sheet, 3, ("Verdict", "HWBs", "Meaning"))
    for row, verdict in enumerate(ATTENTION_ORDER, start=4):
        put_row(sheet, row, [VERDICT_LABELS[verdict], counts[verdict], VERDICT_MEANINGS[verdict]])
    last = 4 + len(ATTENTION_ORDER)
    put_row(sheet, last, ["All HWBs", sum(counts.values())], font="bold")
    set_widths(sheet, (30, 10, 100))
    put_about(sheet, last + 2, about)
    return sheet


def write_assurance_workbook(
    path: Path,
    title: str,
    assurance: pl.DataFrame,
    months_wide: pl.DataFrame,
    by_region: pl.DataFrame,
    counts: dict[str, int],
    about: About,
) -> Path:
    """assurance.xlsx (see the module docstring); the same tables and About give the same bytes."""
    ordered = attention_first(assurance)
    sheets = [
        hwb_sheet("Needs attention", ordered.filter(pl.col("verdict") != IN_LINE)),
        region_sheet(by_region),
        hwb_sheet("In line", ordered.filter(pl.col("verdict") == IN_LINE).sort("region", "hwb_name", "hwb_code")),
        table_sheet("Months", months_wide.columns, months_wide.iter_rows(), frozen_columns=2),
        summary_sheet(title, counts, about),
        columns_sheet(
            [
                ("Needs attention", HWB_COLUMNS),
                ("By region", REGION_COLUMNS),
                ("In line", HWB_COLUMNS),
                ("Months", months_wide.columns),
            ]
        ),
    ]
    return write_workbook(path, sheets, "DToC plan assurance")
