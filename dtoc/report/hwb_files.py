"""One HWB's publication files in <pack>/hwb/, named <ONS code>-<slug of the name>:

  <stem>.xlsx             sheets Summary (with the publication's date, validation, parameters and sources),
                          Monthly and Derivation, for people, and Columns (each header -> the column's machine
                          name in the CSVs and JSON -> its meaning); bands and paths in words
  <stem>.summary.csv      the Summary table: one row per attribution (NHS, social care, joint) and the total
  <stem>.monthly.csv      the Monthly table: one row per month of the plan year
  <stem>.derivation.csv   the Derivation: one row per line of `dtoc explain` (line_number, text)
  <stem>.json             all three in one document, for machines

The CSVs repeat the workbook's sheets one file per sheet, with machine column names and coded values (the
workbook's headers and bands are words); text that a spreadsheet would run as a formula starts with an
apostrophe in CSV only.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from dtoc.config import Config
from dtoc.model.glide_path import MONTHLY_COLUMNS, glide_path_note, monthly_rows
from dtoc.publish.files import write_csv, write_json
from dtoc.report.hwb_content import SUMMARY_COLUMNS, summary_rows

SLUG_LENGTH = 60
HWB_FACTS = ("hwb_code", "hwb_name", "region", "population_18plus", "population_vintage")  # from the HWB's row
FACT_COLUMNS = (*HWB_FACTS, "baseline_quarter", "target_date")  # and the run's


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
        **{name: row[name] for name in HWB_FACTS},
        "baseline_quarter": config.baseline.label,
        "target_date": config.plan.target_date,
    }


def write_hwb_files(folder: Path, row: dict, derivation: list[str], config: Config) -> list[Path]:
    """The HWB's CSV and JSON files (see the module docstring; its workbook is dtoc.report.hwb_workbook's, written
    once the validation gate's verdict is known); returns their paths."""
    stem = hwb_file_stem(row["hwb_code"], row["hwb_name"])
    facts, summary, monthly = hwb_facts(row, config), summary_rows(row, config), monthly_rows(row, config.plan)
    fact_values = [facts[c] for c in FACT_COLUMNS]
    return [
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
                "monthly_note": glide_path_note(config.plan),
                "monthly": monthly,
                "derivation": derivation,
            },
        ),
    ]
