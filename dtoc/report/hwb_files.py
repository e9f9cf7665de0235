"""One HWB's publication files in <pack>/hwb/, named <ONS code>-<slug of the name>:

  <stem>.xlsx             sheets Summary, Monthly and Derivation, for people, and Columns (each header -> the
                          column's machine name in the CSVs and JSON -> its meaning)
  <stem>.summary.csv      the Summary table: one row per attribution (NHS, social care, joint) and the total
  <stem>.monthly.csv      the Monthly table: one row per month of the plan year
  <stem>.derivation.csv   the Derivation: one row per line of `dtoc explain` (line_number, text)
  <stem>.json             all three in one document, for machines

The CSVs repeat the workbook's sheets one file per sheet, with machine column names (the workbook's headers are
words); text that a spreadsheet would run as a formula starts with an apostrophe in CSV only.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from dtoc.config import Config
from dtoc.model.glide_path import MONTHLY_COLUMNS, glide_path_note, monthly_rows
from dtoc.publish.files import write_csv, write_json
from dtoc.report.cells import columns_sheet, number_format, put, put_table, set_widths
from dtoc.report.hwb_content import SUMMARY_COLUMNS, summary_rows
from dtoc.report.xlsx_writer import Sheet, column_letter, write_workbook
from dtoc.vocabulary import column_header

SLUG_LENGTH = 60
FACT_COLUMNS = (
    "hwb_code",
    "hwb_name",
    "region",
    "population_18plus",
    "population_vintage",
    "baseline_quarter",
    "target_date",
)


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens ('Telford & Wrekin, UA/East' ->
    'telford-wrekin-ua-east'); 'hwb' if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:SLUG_LENGTH].rstrip("-") or "hwb"


def hwb_file_stem(code: str, name: str) -> str:
    """'<ONS code>-<slug>'; the code keeps its letters' case but loses anything but letters and digits."""
    safe_code = (
        re.sub(
            r"[^A-Za-z0-9]+", "-", unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode("ascii")
        ).strip("-")
        or "unknown"
    )
    return f"{safe_code}-{slugify(name)}"


def hwb_facts(row: dict, config: Config) -> dict[str, object]:
    """The HWB's identity and the run's facts, as the summary CSV's leading columns and the JSON's top keys."""
    return {
        **{name: row[name] for name in FACT_COLUMNS[:5]},
        "baseline_quarter": config.baseline.label,
        "target_date": config.plan.target_date,
    }


def summary_sheet(row: dict, summary: list[dict], config: Config) -> Sheet:
    """The HWB's facts, then one row per attribution and the total: band, baseline, expectation, reason."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, f"Delayed transfers of care: expectation for {row['hwb_name']}", font="title")
    facts = [
        (name, row[name]) for name in ("hwb_code", "hwb_name", "region", "population_18plus", "population_vintage")
    ]
    facts += [
        ("baseline_quarter", config.baseline.describe()),
        ("target_date", config.plan.target_date),
        ("expected_total_daily", row["expected_total_daily"]),
        ("band_sensitive", row.get("band_sensitive") or "no"),
    ]
    for offset, (name, value) in enumerate(facts):
        put(sheet, 3 + offset, 1, column_header(name), font="bold")
        put(sheet, 3 + offset, 2, value, number_format(name))
    set_widths(sheet, (max(len(column_header(name)) for name, _ in facts) + 2, 22))
    top = 4 + len(facts)
    last = put_table(
        sheet, top, SUMMARY_COLUMNS, [[line[c] for c in SUMMARY_COLUMNS] for line in summary], wrap=("reason",)
    )
    put(
        sheet,
        last + 2,
        1,
        "Daily delays: the average number of patients delayed on a day. Rates are per 100,000 "
        "people aged 18+. Figures are stored at full precision; the display rounds them.",
    )
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


def write_hwb_files(folder: Path, row: dict, derivation: list[str], config: Config) -> list[Path]:
    """The five files of one HWB (see the module docstring); returns their paths."""
    stem = hwb_file_stem(row["hwb_code"], row["hwb_name"])
    facts, summary, monthly = hwb_facts(row, config), summary_rows(row, config), monthly_rows(row, config.plan)
    note = glide_path_note(config.plan)
    sheets = [
        summary_sheet(row, summary, config),
        monthly_sheet(monthly, note, config.plan.year),
        derivation_sheet(derivation),
        columns_sheet([("Summary", (*FACT_COLUMNS, *SUMMARY_COLUMNS)), ("Monthly", MONTHLY_COLUMNS)]),
    ]
    fact_values = [facts[c] for c in FACT_COLUMNS]
    return [
        write_workbook(folder / f"{stem}.xlsx", sheets, f"DToC expectation: {row['hwb_name']}"),
        write_csv(
            folder / f"{stem}.summary.csv",
            (*FACT_COLUMNS, *SUMMARY_COLUMNS),
            ([*fact_values, *(line[c] for c in SUMMARY_COLUMNS)] for line in summary),
        ),
        write_csv(
            folder / f"{stem}.monthly.csv", MONTHLY_COLUMNS, ([line[c] for c in MONTHLY_COLUMNS] for line in monthly)
        ),
        write_csv(folder / f"{stem}.derivation.csv", ("line_number", "text"), enumerate(derivation, start=1)),
        write_json(
            folder / f"{stem}.json",
            {
                **facts,
                "band_sensitive": row.get("band_sensitive"),
                "summary": summary,
                "monthly_note": note,
                "monthly": monthly,
                "derivation": derivation,
            },
        ),
    ]
