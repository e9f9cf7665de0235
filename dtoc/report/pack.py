"""The publication pack: per-HWB files, the national workbook, the report and an index of every file.

It reads a finished run's database (read only) in two parts: `write_data_files` (the per-HWB CSV and JSON files
and hwb/README.txt, which state no verdict; `dtoc run` writes them while the validation gate checks the database)
and `write_pages` (the workbooks, briefs and report.html, which state the gate's verdict and come after it);
`write_publication_pack` writes both, then the index:

  hwb/<code>-<slug>.*   five files per HWB (dtoc.report.hwb_files, the workbook dtoc.report.hwb_workbook), its
                        brief as PDF and HTML (dtoc.report.briefs), and hwb/README.txt
  expectations.xlsx     Summary, Expectations and Columns (dtoc.report.national_workbook)
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
from dtoc.publish.output_folders import INDEX_FILE, MANIFEST_FILE
from dtoc.report import hwb_files
from dtoc.report.briefs import write_briefs
from dtoc.report.hwb_content import SUMMARY_COLUMNS
from dtoc.report.hwb_files import hwb_file_stem, write_hwb_files
from dtoc.report.hwb_workbook import run_about, write_hwb_workbook
from dtoc.report.national_page import write_report
from dtoc.report.national_workbook import write_national_workbook
from dtoc.report.release import Release, read_release
from dtoc.report.two_processes import write_in_two
from dtoc.report.validation_words import Finding, read_findings
from dtoc.vocabulary import BANDED, COLUMNS

UNLISTED = (INDEX_FILE, MANIFEST_FILE)
VALIDATION_REPORT = "validation.json"  # the gate's report, which the run writes before the pages


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
    """One HWB's CSV and JSON files (dtoc.report.hwb_files) from its row and derivation lines."""
    row, derivation = item
    return write_hwb_files(folder, row, derivation, config)


def derivations(table: pl.DataFrame, explanations: dict[str, dict]) -> list[tuple[dict, list[str]]]:
    """(row, the lines of `dtoc explain`) for every HWB of the table."""
    return [(row, format_explanation(explanations[row["hwb_code"]]).split("\n")) for row in table.iter_rows(named=True)]


def write_data_files(folder: Path, database_path: Path, config: Config) -> list[Path]:
    """The part of the pack that states no verdict: the per-HWB CSV and JSON files and hwb/README.txt (the run
    writes them while the validation gate checks the database)."""
    table, explanations, _ = read_run(database_path, config)
    check_file_stems(table)
    hwb_folder = folder / "hwb"
    hwb_folder.mkdir(parents=True, exist_ok=True)
    paths = [write_hwb_readme(hwb_folder, config)]
    return paths + write_in_two(write_hwb_file_set, derivations(table, explanations), hwb_folder, config)


def write_pages(
    folder: Path, database_path: Path, config: Config, validation: dict | None = None, published: date | None = None
) -> list[Path]:
    """The part of the pack that states the gate's verdict: each HWB's workbook and brief (PDF and HTML),
    expectations.xlsx and report.html. The briefs name the gate's findings about their HWB from its report in
    folder (validation.json), when it is there."""
    findings = read_findings(folder / VALIDATION_REPORT)
    table, explanations, release = read_run(database_path, config, validation, published, findings)
    check_file_stems(table)
    hwb_folder = folder / "hwb"
    hwb_folder.mkdir(parents=True, exist_ok=True)
    paths = write_in_two(write_hwb_workbook, derivations(table, explanations), hwb_folder, config, release)
    paths += write_briefs(hwb_folder, table, explanations, config, release)
    vintage = ", ".join(sorted(set(table["population_vintage"].to_list())))
    about = run_about(release, config, vintage)
    paths.append(write_national_workbook(folder / "expectations.xlsx", table, config, about))
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
