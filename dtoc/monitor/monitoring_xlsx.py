"""monitoring.xlsx, written by the publication's one xlsx writer (dtoc.report.xlsx_writer).

Sheets: Furthest above (the HWBs furthest above their expectation in their latest month judged,
dtoc.monitor.ranking), National (one row per month and attribution, England as the sum of the HWBs), By HWB (one
row per HWB, month and attribution), Notes (missing months, absent HWBs, cells not reported), Summary (the
publication's date, validation, parameters and sources) and Columns (each header -> the machine name in
monitoring.csv / monitoring_national.csv -> meaning). Headers, attributions and comparators in words (the CSV
and Parquet files keep the codes), number formats (daily figures to two decimals; the cells keep full
precision), widths, filters, frozen headers, print set-up.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.monitor.ranking import RANKED_COLUMNS, furthest_above
from dtoc.plan import Plan
from dtoc.report.about import About, put_about, source_files
from dtoc.report.cells import columns_sheet, put, put_header, put_table, table_sheet
from dtoc.report.release import publication_date, validation_status
from dtoc.report.xlsx_writer import Sheet, write_workbook

NO_NOTES = "every month of the year has a workbook and every HWB a row in each"
RANKED_TITLE = (
    "Health and Wellbeing Boards by how far their total delays were above the expectation in the latest month "
    "judged (from the target month on, every cell reported), the furthest first"
)


def notes_sheet(notes: list[str]) -> Sheet:
    """One note per row under the header 'Note'."""
    sheet = Sheet("Notes")
    put_header(sheet, 1, ["Note"])
    for number, note in enumerate(notes or [NO_NOTES], start=2):
        put(sheet, number, 1, note, wrap=True)
    sheet.widths[1], sheet.freeze, sheet.print_rows = 120, "A2", (1, 1)
    return sheet


def ranked_sheet(monitoring: pl.DataFrame) -> Sheet:
    """'Furthest above': the title, then the ranked HWBs (or a line saying no month is judged yet)."""
    sheet = Sheet("Furthest above")
    put(sheet, 1, 1, RANKED_TITLE, font="bold")
    ranked = furthest_above(monitoring)
    last = put_table(sheet, 3, RANKED_COLUMNS, list(ranked.iter_rows()))
    if ranked.is_empty():
        put(sheet, last + 2, 1, "No month of the year is judged against the expectation yet.")
    sheet.freeze = "B4"
    return sheet


def summary_sheet(about: About) -> Sheet:
    sheet = Sheet("Summary")
    put(sheet, 1, 1, "Delayed transfers of care: monitoring against the expectations", font="title")
    put_about(sheet, 3, about)
    return sheet


def monitoring_about(
    year: str, plan: Plan, sources: pl.DataFrame, expectations: str, inputs: list[dict], validation: dict | None
) -> About:
    """The monitoring's date, the validation result of its expectations, its parameters, and its source files: the
    year's workbooks, then the files the expectations were made from."""
    gate = validation_status(validation) if validation else "not through the validation gate (computed here)"
    parameters = (
        ("Year monitored", year),
        ("Plan year", plan.year),
        ("Target date", plan.target_date),
        ("Glide path from", f"{plan.glide_start:%B %Y}"),
        ("Expectations", expectations),
    )
    files = source_files([{"role": "delays", **row} for row in sources.to_dicts()]) + source_files(inputs)
    return About(publication_date(), f"{gate} (the expectations)", parameters, files)


def write_monitoring_workbook(
    monitoring: pl.DataFrame, national: pl.DataFrame, notes: list[str], path: Path, about: About
) -> Path:
    """monitoring.xlsx (see the module docstring); the same tables, notes and About give the same bytes."""
    sheets = [
        ranked_sheet(monitoring),
        table_sheet("National", national.columns, national.iter_rows(), frozen_columns=1),
        table_sheet("By HWB", monitoring.columns, monitoring.iter_rows(), frozen_columns=2),
        notes_sheet(notes),
        summary_sheet(about),
        columns_sheet(
            [("Furthest above", RANKED_COLUMNS), ("National", national.columns), ("By HWB", monitoring.columns)]
        ),
    ]
    return write_workbook(path, sheets, "DToC monitoring")
