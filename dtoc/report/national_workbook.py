"""expectations.xlsx: sheet Summary (HWBs per band, national daily delays against the ambition, then the
publication's date, validation, parameters and sources), sheet Expectations (every HWB, every column of the
expectations table, headers and bands in words) and sheet Columns (each header -> the column's machine name in the
CSV and Parquet -> meaning). It states the validation gate's verdict, so `dtoc run` writes it after the verdict.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.report.about import About, put_about
from dtoc.report.cells import (
    COUNT,
    DAILY,
    columns_sheet,
    number_format,
    put,
    put_header,
    put_row,
    set_widths,
    table_sheet,
)
from dtoc.report.summary import summarise_expectations
from dtoc.report.xlsx_writer import Sheet, write_workbook
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LABELS, BAND_MEANINGS, BANDED, BANDS, TOTAL_KEY, TOTAL_LABEL

PARTS = (*((a.label, a.short) for a in ATTRIBUTIONS), (TOTAL_LABEL, TOTAL_KEY))


def expectations_sheet(table: pl.DataFrame) -> Sheet:
    """Every HWB, one row each, every column of the expectations table under the header a person reads."""
    return table_sheet("Expectations", table.columns, table.iter_rows(), frozen_columns=2)


def summary_sheet(summary: dict, config: Config, about: About) -> Sheet:
    """HWBs per band for each banded attribution (and their total); national daily delays, baseline and expected,
    and the ambition; then what the publication states about itself. Rows follow from the vocabulary."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, f"Delayed transfers of care: {config.plan.year} expectations, England", font="title")
    put_row(sheet, 2, ["Baseline quarter", config.baseline.describe()])
    put_row(sheet, 3, ["Target date", config.plan.target_date], (None, number_format("target_date")))
    put_row(sheet, 4, ["Health and Wellbeing Boards", summary["areas"]])
    put_header(sheet, 6, ["HWBs per band", *(a.label for a in BANDED), "Meaning"])
    for row, band in enumerate(BANDS, start=7):
        counts = [summary[f"{a.short}_bands"][band] for a in BANDED]
        put_row(sheet, row, [BAND_LABELS[band], *counts, BAND_MEANINGS[band]])
    row = 7 + len(BANDS)
    put_row(sheet, row, [TOTAL_LABEL, *(sum(summary[f"{a.short}_bands"].values()) for a in BANDED)], font="bold")
    row = national_rows(sheet, row + 2, summary["national_daily_delays"], config.plan.national_ambition_daily)
    set_widths(sheet, (36, 14, 14, 60))
    put_about(sheet, row + 2, about)
    return sheet


def national_rows(sheet: Sheet, header: int, totals: dict, ambition: float | None) -> int:
    """National daily delays per attribution and the total, then the ambition; returns the last row used."""
    put_header(sheet, header, ["National daily delays", "Baseline", "Expected", "Change"])
    for row, (label, short) in enumerate(PARTS, start=header + 1):
        baseline, expected = totals[f"baseline_{short}_daily"], totals[f"expected_{short}_daily"]
        put_row(sheet, row, [label, baseline, expected, expected - baseline], (None, *(DAILY,) * 3))
    row = header + len(PARTS) + 2
    if ambition is None:
        put_row(sheet, row, ["National ambition", None, "none stated for this plan"])
        return row + 1
    put_row(sheet, row, ["National ambition (around)", None, ambition], (None, None, COUNT))
    gap = totals["expected_total_daily"] - ambition
    put_row(sheet, row + 1, ["Expected total minus the ambition", None, gap], (None, None, DAILY))
    return row + 1


def write_national_workbook(path: Path, table: pl.DataFrame, config: Config, about: About) -> Path:
    sheets = [
        summary_sheet(summarise_expectations(table), config, about),
        expectations_sheet(table),
        columns_sheet([("Expectations", table.columns)]),
    ]
    return write_workbook(path, sheets, f"DToC expectations {config.plan.year}, England")
