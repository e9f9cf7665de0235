"""Benchmark: the publication's 151 HWB workbooks and the national workbook, written by XlsxWriter (the writer
dtoc uses, dtoc.report.xlsx_writer) and by the hand-written SpreadsheetML writer it replaced (loaded from git at
HAND_WRITTEN_COMMIT), from the same sheets; and whether openpyxl reads back every float of the real table exactly.

    uv run --no-sync python benchmarks/xlsx_writers.py [--rounds 5]

Prints the median CPU and wall time of each writer over the rounds (each round writes all 152 workbooks to
memory), per workbook and in total, the bytes written, and the float round-trip count. Needs the real data ($DTOC_DATA_DIR).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HAND_WRITTEN_COMMIT = "ea60585"  # the last commit with dtoc/report/xlsx_writer.py + xlsx_package.py hand-written

from xlsxwriter.worksheet import Worksheet  # noqa: E402

from dtoc.audit.explain_text import format_explanation  # noqa: E402
from dtoc.config import load_config  # noqa: E402
from dtoc.model.glide_path import glide_path_note, monthly_rows  # noqa: E402
from dtoc.model.pipeline import compute_expectations  # noqa: E402
from dtoc.report import (  # noqa: E402
    hwb_workbook,
    national_workbook,
    pack,
    xlsx_writer,
)
from dtoc.report.hwb_content import summary_rows  # noqa: E402
from dtoc.report.summary import summarise_expectations  # noqa: E402
from dtoc.report.xlsx_writer import ExactWorksheet, workbook_bytes  # noqa: E402


def load_hand_written_writer() -> types.ModuleType:
    """The hand-written writer's two modules from git, as one module (workbook_bytes, Sheet, Style)."""

    def source(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{HAND_WRITTEN_COMMIT}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    module = types.ModuleType("hand_written_xlsx")
    sys.modules["hand_written_xlsx"] = module
    exec(compile(source("dtoc/report/xlsx_writer.py"), "hand_written_xlsx_writer", "exec"), module.__dict__)
    package = source("dtoc/report/xlsx_package.py").replace(
        "from dtoc.report.xlsx_writer import", "from hand_written_xlsx import"
    )
    exec(compile(package, "hand_written_xlsx_package", "exec"), module.__dict__)
    return module


def as_hand_written(sheets: list, old: types.ModuleType) -> list:
    """The same sheets in the hand-written writer's model (it has no print set-up)."""
    converted = []
    for sheet in sheets:
        copy = old.Sheet(
            sheet.name,
            widths=dict(sheet.widths),
            heights=dict(sheet.heights),
            merged=list(sheet.merged),
            freeze=sheet.freeze,
            autofilter=sheet.autofilter,
        )
        copy.cells = {
            ref: (value, old.Style(s.number_format, s.font, s.fill, s.wrap)) for ref, (value, s) in sheet.cells.items()
        }
        converted.append(copy)
    return converted


def publication_sheets(database: Path, config) -> list[list]:
    """The sheets of every HWB workbook and of the national workbook, as the pack builds them."""
    table, explanations, release = pack.read_run(database, config)
    derivations = {code: format_explanation(e).split("\n") for code, e in explanations.items()}
    about = hwb_workbook.run_about(release, config, "mid-2016")
    books = []
    for row in table.iter_rows(named=True):
        summary, monthly = summary_rows(row, config), monthly_rows(row, config.plan)
        books.append(
            [
                hwb_workbook.summary_sheet(row, summary, config, about),
                hwb_workbook.monthly_sheet(monthly, glide_path_note(config.plan), config.plan.year),
                hwb_workbook.derivation_sheet(derivations[row["hwb_code"]]),
                hwb_workbook.columns_sheet(
                    [
                        ("Summary", (*hwb_workbook.FACT_COLUMNS, *hwb_workbook.SUMMARY_COLUMNS)),
                        ("Monthly", hwb_workbook.MONTHLY_COLUMNS),
                    ]
                ),
            ]
        )
    books.append(
        [
            national_workbook.summary_sheet(summarise_expectations(table), config, about),
            national_workbook.expectations_sheet(table),
            national_workbook.columns_sheet([("Expectations", table.columns)]),
        ]
    )
    return books, table


def time_writer(write, books: list[list], rounds: int) -> tuple[float, float, int]:
    """Median CPU seconds and wall seconds to write every workbook, and the bytes of the last round. CPU time
    is the figure to compare on a shared machine: wall time grows with the other processes' load."""
    cpu, wall = [], []
    for _ in range(rounds):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        written = sum(len(write(sheets)) for sheets in books)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall), written


def float_round_trip(table, write) -> tuple[int, int]:
    """(floats in the table, floats openpyxl reads back equal) from the Expectations sheet of one writer."""
    book = openpyxl.load_workbook(io.BytesIO(write([national_workbook.expectations_sheet(table)])), read_only=True)
    read = [v for row in book["Expectations"].iter_rows(min_row=2, values_only=True) for v in row]
    wanted = [v for row in table.iter_rows() for v in row]
    floats = [(a, b) for a, b in zip(wanted, read, strict=False) if isinstance(a, float)]  # as far as both go
    return len(floats), sum(1 for a, b in floats if a == b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    config = load_config()
    data = Path(os.environ.get("DTOC_DATA_DIR") or ROOT.parent / "shared" / "data")
    old = load_hand_written_writer()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "dtoc.duckdb"
        compute_expectations(data, config, database_path=database)
        books, table = publication_sheets(database, config)
    old_books = [as_hand_written(sheets, old) for sheets in books]
    print(
        f"{len(books)} workbooks ({len(books) - 1} HWB + national), {rounds} rounds, median; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for label, write, sheets in (
        ("XlsxWriter (dtoc.report.xlsx_writer)", workbook_bytes, books),
        (f"hand-written (git {HAND_WRITTEN_COMMIT})", old.workbook_bytes, old_books),
    ):
        cpu, wall, size = time_writer(write, sheets, rounds)
        total, exact = float_round_trip(
            table, lambda s, write=write: write(as_hand_written(s, old) if write is old.workbook_bytes else s)
        )
        print(
            f"  {label:38} CPU {cpu:5.2f} s ({cpu / len(books) * 1000:4.1f} ms/workbook), wall {wall:5.2f} s, "
            f"{size / 1e6:4.2f} MB; floats read back exactly: {exact} of {total}"
        )
    xlsx_writer.ExactWorksheet = Worksheet  # XlsxWriter as it comes: numbers written with '%.16G'
    try:
        total, exact = float_round_trip(table, workbook_bytes)
    finally:
        xlsx_writer.ExactWorksheet = ExactWorksheet
    print(f"  XlsxWriter's own number writing ('%.16G'): floats read back exactly: {exact} of {total}")


if __name__ == "__main__":
    main()
