"""One HWB's workbook, hwb/<stem>.xlsx: sheets Summary (its facts, one row per attribution and the total, then
what the publication states about itself: date, validation, parameters, sources), Monthly (the plan year's
glide path, then the expectation), Derivation (`dtoc explain`, line by line) and Columns (each header -> the
machine name in the HWB's CSV and JSON files -> meaning). Bands and paths are shown in words; the CSV and JSON
files (dtoc.report.hwb_files) keep the codes.

It states the validation gate's verdict, so `dtoc run` writes it after the verdict (dtoc.report.pack.write_pages).
"""

from __future__ import annotations

from pathlib import Path

from dtoc.config import Config
from dtoc.model.glide_path import MONTHLY_COLUMNS, glide_path_note, monthly_rows
from dtoc.report.about import About, put_about, run_parameters, source_files
from dtoc.report.cells import columns_sheet, number_format, put, put_table, set_widths
from dtoc.report.hwb_content import SUMMARY_COLUMNS, summary_rows
from dtoc.report.hwb_files import FACT_COLUMNS, HWB_FACTS, hwb_file_stem
from dtoc.report.release import Release
from dtoc.report.xlsx_writer import Sheet, column_letter, write_workbook
from dtoc.vocabulary import column_header, worded

NOTE = (
    "Daily delays: the average number of patients delayed on a day. Rates are per 100,000 people aged 18+. "
    "Figures are stored at full precision; the display rounds them."
)


def summary_sheet(row: dict, summary: list[dict], config: Config, about: About) -> Sheet:
    """The HWB's facts, one row per attribution and the total (band, baseline, expectation, reason), then the
    publication's date, validation, parameters and sources."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, f"Delayed transfers of care: expectation for {row['hwb_name']}", font="title")
    facts = [(name, row[name]) for name in HWB_FACTS]
    facts += [
        ("baseline_quarter", config.baseline.describe()),
        ("target_date", config.plan.target_date),
        ("expected_total_daily", row["expected_total_daily"]),
        ("band_sensitive", worded("band_sensitive", row.get("band_sensitive")) or "no"),
    ]
    for offset, (name, value) in enumerate(facts):
        put(sheet, 3 + offset, 1, column_header(name), font="bold")
        put(sheet, 3 + offset, 2, value, number_format(name))
    set_widths(sheet, (max(len(column_header(name)) for name, _ in facts) + 2, 22))
    top = 4 + len(facts)
    last = put_table(
        sheet, top, SUMMARY_COLUMNS, [[line[c] for c in SUMMARY_COLUMNS] for line in summary], wrap=("reason",)
    )
    put(sheet, last + 2, 1, NOTE)
    put_about(sheet, last + 4, about)
    return sheet


def monthly_sheet(monthly: list[dict], note: str, year: str) -> Sheet:
    """The note on the path, then one row per month of the financial year."""
    sheet = Sheet("Monthly")
    put(sheet, 1, 1, f"Expected delayed days per month, {year}", font="title")
    put(sheet, 2, 1, note, wrap=True)
    sheet.merged.append(f"A2:{column_letter(len(MONTHLY_COLUMNS))}2")
    sheet.heights[2] = 75
    put_table(sheet, 4, MONTHLY_COLUMNS, [[line[c] for c in MONTHLY_COLUMNS] for line in monthly])
    sheet.freeze = "B5"
    return sheet


def derivation_sheet(lines: list[str]) -> Sheet:
    """The lines of `dtoc explain`, one per row."""
    sheet = Sheet("Derivation")
    for number, line in enumerate(lines, start=1):
        put(sheet, number, 1, line, font="mono")
    set_widths(sheet, (150,))
    return sheet


def run_about(release: Release, config: Config, vintage: str) -> About:
    """What a run's workbooks state about the publication: its date, the gate's verdict, parameters, sources."""
    return About(
        release.published, release.validation_status, run_parameters(config, vintage), source_files(release.sources)
    )


def write_hwb_workbook(item: tuple[dict, list[str]], folder: Path, config: Config, release: Release) -> list[Path]:
    """hwb/<stem>.xlsx of one HWB, from its row and its derivation lines; the one path in a list."""
    row, derivation = item
    about = run_about(release, config, row["population_vintage"])
    sheets = [
        summary_sheet(row, summary_rows(row, config), config, about),
        monthly_sheet(monthly_rows(row, config.plan), glide_path_note(config.plan), config.plan.year),
        derivation_sheet(derivation),
        columns_sheet([("Summary", (*FACT_COLUMNS, *SUMMARY_COLUMNS)), ("Monthly", MONTHLY_COLUMNS)]),
    ]
    stem = hwb_file_stem(row["hwb_code"], row["hwb_name"])
    return [write_workbook(folder / f"{stem}.xlsx", sheets, f"DToC expectation: {row['hwb_name']}")]
