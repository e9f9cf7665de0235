"""The publication pack: per-HWB files, the national workbook, the report and an index of every file.

It reads a finished run's database (read only) in two parts: `write_data_files` (the per-HWB file sets,
hwb/README.txt and expectations.xlsx, which state no verdict; `dtoc run` writes them while the validation gate
checks the database) and `write_pages` (the briefs and report.html, which state the gate's verdict and come after
it); `write_publication_pack` writes both, then the index:

  hwb/<code>-<slug>.*   five files per HWB (dtoc.report.hwb_files), its brief as PDF and HTML
                        (dtoc.report.briefs), and hwb/README.txt
  expectations.xlsx     sheet Summary (HWBs per band, national daily delays against the ambition), sheet
                        Expectations (every HWB, every column of the expectations table, headers in words) and
                        sheet Columns (each header -> the column's machine name in the CSV/Parquet -> meaning)
  report.html           the self-contained report with its charts (dtoc.report.national_page)
  index.csv             path, bytes, sha256 of every file in the folder but index.csv and manifest.json, sorted

The same database, config, validation summary and publication date give the same bytes: no times are written,
orders are sorted; the date is dtoc.report.release.publication_date() (SOURCE_DATE_EPOCH) unless given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dtoc.audit.explain import explain_all, read_parameters
from dtoc.audit.explain_text import format_explanation
from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.model.database import frame_from_arrow
from dtoc.model.glide_path import MONTHLY_COLUMNS, glide_path_note
from dtoc.publish.files import write_csv
from dtoc.report import hwb_files
from dtoc.report.briefs import write_briefs
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
from dtoc.report.hwb_content import SUMMARY_COLUMNS
from dtoc.report.hwb_files import hwb_file_stem, write_hwb_files
from dtoc.report.national_page import write_report
from dtoc.report.release import Release, read_release
from dtoc.report.summary import summarise_expectations
from dtoc.report.two_processes import write_in_two
from dtoc.report.validation_words import Finding, read_findings
from dtoc.report.xlsx_writer import Sheet, write_workbook
from dtoc.vocabulary import (
    ATTRIBUTIONS,
    BAND_LABELS,
    BAND_MEANINGS,
    BANDED,
    BANDS,
    COLUMNS,
    RATE_UNIT,
    TOTAL_KEY,
    TOTAL_LABEL,
)

INDEX_FILE, UNLISTED = "index.csv", ("index.csv", "manifest.json")
VALIDATION_REPORT = "validation.json"  # the gate's report, which the run writes before the pages
PARTS = (*((a.label, a.short) for a in ATTRIBUTIONS), (TOTAL_LABEL, TOTAL_KEY))


def expectations_sheet(table: pl.DataFrame) -> Sheet:
    """Every HWB, one row each, every column of the expectations table under the header a person reads."""
    return table_sheet("Expectations", table.columns, table.iter_rows(), frozen_columns=2)


def summary_sheet(summary: dict, config: Config) -> Sheet:
    """HWBs per band for each banded attribution (and their total); national daily delays, baseline and expected,
    and the ambition; the thresholds in words. Rows follow from the vocabulary's bands and attributions."""
    sheet = Sheet("Summary")
    put(sheet, 1, 1, f"Delayed transfers of care: {config.plan.year} expectations, England", font="title")
    put_row(sheet, 2, ["Baseline quarter", config.baseline.describe()])
    put_row(sheet, 3, ["Target date", config.plan.target_date], (None, number_format("target_date")))
    put_row(sheet, 4, ["Health and Wellbeing Boards", summary["areas"]])
    put_header(sheet, 6, ["HWBs per band", *(a.label for a in BANDED), "Meaning", "Band"])
    for row, band in enumerate(BANDS, start=7):
        counts = [summary[f"{a.short}_bands"][band] for a in BANDED]
        put_row(sheet, row, [band, *counts, BAND_MEANINGS[band], BAND_LABELS[band]])
    row = 7 + len(BANDS)
    put_row(sheet, row, [TOTAL_LABEL, *(sum(summary[f"{a.short}_bands"].values()) for a in BANDED)], font="bold")
    row = national_rows(sheet, row + 2, summary["national_daily_delays"], config.plan.national_ambition_daily)
    put(sheet, row + 2, 1, thresholds_text(config))
    set_widths(sheet, (36, 14, 14, 60, 22))
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


def thresholds_text(config: Config) -> str:
    """'NHS bands: target 5.5, upper 7.9, cap 30%; social care: ... (per 100,000 aged 18+). Joint delays are
    held at the baseline.'"""
    numbers = [config.band_policy(a.short) for a in BANDED]
    parts = [f"target {p.target_rate:g}, upper {p.upper_rate:g}, cap {p.reduction_cap:.0%}" for p in numbers]
    named = [f"{BANDED[0].label} bands: {parts[0]}"] + [
        f"{a.phrase}: {p}" for a, p in zip(BANDED[1:], parts[1:], strict=True)
    ]
    held = " ".join(f"{a.label} delays are held at the baseline." for a in ATTRIBUTIONS if not a.banded)
    return "; ".join(named) + f" ({RATE_UNIT}). {held}"


def write_national_workbook(path: Path, table: pl.DataFrame, config: Config) -> Path:
    sheets = [
        summary_sheet(summarise_expectations(table), config),
        expectations_sheet(table),
        columns_sheet([("Expectations", table.columns)]),
    ]
    return write_workbook(path, sheets, f"DToC expectations {config.plan.year}, England")


def write_index(folder: Path) -> Path:
    """index.csv: every file under folder (but the index and the manifest), sorted by relative path."""
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    rows = [(name, path.stat().st_size, sha256_of(path)) for name, path in files if name not in UNLISTED]
    return write_csv(folder / INDEX_FILE, ("path", "bytes", "sha256"), rows)


def check_run_parameters(connection: duckdb.DuckDBPyConnection, config: Config) -> None:
    """The database must come from a run with this config's policy, quarter and target date."""
    stored, wanted = read_parameters(connection), config.as_dict()
    keys = ("baseline_quarter", "target_date", *(a.short for a in BANDED))
    differ = [key for key in keys if stored.get(key) != wanted[key]]
    if differ:
        raise DtocError(
            f"the database was computed with other parameters than the config ({', '.join(differ)}); "
            "rerun the computation or pass the run's config"
        )


def read_run(
    database_path: Path,
    config: Config,
    validation: dict | None = None,
    published: date | None = None,
    findings: tuple[Finding, ...] | None = None,
) -> tuple[pl.DataFrame, dict[str, dict], Release]:
    """The expectations table sorted by hwb_code, each HWB's explanation, and the publication's facts."""
    with duckdb.connect(str(database_path), read_only=True) as connection:
        check_run_parameters(connection, config)
        explanations = explain_all(connection)
        table = frame_from_arrow(connection.sql("select * from expectations order by hwb_code").to_arrow_table())
        release = read_release(connection, validation, published, findings)
    return table, explanations, release


def write_hwb_readme(folder: Path, config: Config) -> Path:
    """hwb/README.txt: what each HWB file holds, how the Monthly figures are made, and each CSV column's header
    in the workbook and meaning."""
    columns = [
        f'  {name}: "{COLUMNS[name][0]}" - {COLUMNS[name][1]}'
        for name in dict.fromkeys((*hwb_files.FACT_COLUMNS, *SUMMARY_COLUMNS, *MONTHLY_COLUMNS))
    ]
    text = (
        f"{hwb_files.__doc__.strip()}\n\nThe Monthly sheet: {glide_path_note(config.plan)}\n\n"
        'Columns of the CSV files (machine name: "header in the workbook" - meaning):\n' + "\n".join(columns) + "\n"
    )
    path = folder / "README.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


def check_file_stems(table: pl.DataFrame) -> None:
    stems = [hwb_file_stem(code, name) for code, name in table.select("hwb_code", "hwb_name").iter_rows()]
    if len(set(stems)) != len(stems):
        raise DtocError(
            "two HWBs would share a file name: " + ", ".join(sorted({s for s in stems if stems.count(s) > 1}))
        )


def write_hwb_file_set(item: tuple[dict, list[str]], folder: Path, config: Config) -> list[Path]:
    """One HWB's file set (dtoc.report.hwb_files) from its row and derivation lines."""
    row, derivation = item
    return write_hwb_files(folder, row, derivation, config)


def write_data_files(folder: Path, database_path: Path, config: Config) -> list[Path]:
    """The part of the pack that states no verdict: the per-HWB file sets, hwb/README.txt and expectations.xlsx
    (the run writes it while the validation gate checks the database)."""
    table, explanations, _ = read_run(database_path, config)
    check_file_stems(table)
    hwb_folder = folder / "hwb"
    hwb_folder.mkdir(parents=True, exist_ok=True)
    paths = [write_hwb_readme(hwb_folder, config)]
    items = [
        (row, format_explanation(explanations[row["hwb_code"]]).split("\n")) for row in table.iter_rows(named=True)
    ]
    paths += write_in_two(write_hwb_file_set, items, hwb_folder, config)
    paths.append(write_national_workbook(folder / "expectations.xlsx", table, config))
    return paths


def write_pages(
    folder: Path, database_path: Path, config: Config, validation: dict | None = None, published: date | None = None
) -> list[Path]:
    """The part of the pack that states the gate's verdict: each HWB's brief (PDF and HTML) and report.html. The
    briefs name the gate's findings about their HWB from its report in folder (validation.json), when it is there."""
    findings = read_findings(folder / VALIDATION_REPORT)
    table, explanations, release = read_run(database_path, config, validation, published, findings)
    check_file_stems(table)
    (folder / "hwb").mkdir(parents=True, exist_ok=True)
    paths = write_briefs(folder / "hwb", table, explanations, config, release)
    paths.append(write_report(folder / "report.html", table, config, release, explanations))
    return paths


def write_publication_pack(
    folder: Path,
    database_path: Path,
    config: Config,
    index: bool = True,
    validation: dict | None = None,
    published: date | None = None,
) -> list[Path]:
    """Write the whole pack (see the module docstring) into folder; returns the paths written, sorted. With
    index=False index.csv is left for the caller to write (write_index) once every other file is in the folder.
    validation is the gate's summary (passed, checks, failed, warnings), stated on every page."""
    paths = write_data_files(folder, database_path, config) + write_pages(
        folder, database_path, config, validation, published
    )
    if index:
        paths.append(write_index(folder))
    return sorted(paths)
