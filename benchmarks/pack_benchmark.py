"""Benchmark: where the publication pack's time goes, step by step, on a real run's database.

    uv run python benchmarks/pack_benchmark.py [--data-dir ../shared/data] [--runs 3]

Computes the expectations once in-process (into a temporary database), then writes the pack's parts `--runs`
times each and prints, per part, the median wall and process-CPU seconds. The machine is shared: CPU seconds are
the steadier figure; wall seconds include waiting for the processor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from dtoc.config import load_config
from dtoc.model.pipeline import compute_expectations
from dtoc.report import pack
from dtoc.report.brief_content import build_brief
from dtoc.report.brief_html import write_brief_html
from dtoc.report.brief_pdf import write_brief_pdf
from dtoc.report.hwb_files import write_hwb_files
from dtoc.report.hwb_workbook import run_about, write_hwb_workbook
from dtoc.report.national_page import write_report
from dtoc.report.national_workbook import write_national_workbook

VALIDATION = {"passed": True, "checks": 0, "failed": 0, "warnings": 0}


def parts(database: Path, folder: Path, config) -> dict:
    """name -> a function that writes that part of the pack into folder."""
    table, explanations, release = pack.read_run(database, config, VALIDATION)
    rows = list(table.iter_rows(named=True))
    derivations = {code: pack.format_explanation(e).split("\n") for code, e in explanations.items()}
    briefs = [build_brief(row, explanations[row["hwb_code"]], config, release) for row in rows]
    hwb = folder / "hwb"
    hwb.mkdir(parents=True, exist_ok=True)
    return {
        "read the run's database": lambda: pack.read_run(database, config, VALIDATION),
        "151 HWB file sets (3 CSV, JSON)": lambda: [
            write_hwb_files(hwb, r, derivations[r["hwb_code"]], config) for r in rows
        ],
        "151 HWB workbooks": lambda: [
            write_hwb_workbook((r, derivations[r["hwb_code"]]), hwb, config, release) for r in rows
        ],
        "151 brief contents": lambda: [build_brief(r, explanations[r["hwb_code"]], config, release) for r in rows],
        "151 briefs as PDF": lambda: [write_brief_pdf(hwb, b, release.published) for b in briefs],
        "151 briefs as HTML": lambda: [write_brief_html(hwb, b) for b in briefs],
        "expectations.xlsx": lambda: write_national_workbook(
            folder / "expectations.xlsx", table, config, run_about(release, config, "mid-2016")
        ),
        "report.html": lambda: write_report(folder / "report.html", table, config, release, explanations),
        "index.csv": lambda: pack.write_index(folder),
        "the whole pack": lambda: pack.write_publication_pack(
            folder / "whole", database, config, validation=VALIDATION
        ),
    }


def timed(function, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=os.environ.get("DTOC_DATA_DIR", "../shared/data"))
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    config = load_config()
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "dtoc.duckdb"
        compute_expectations(Path(arguments.data_dir), config, database_path=database)
        print(
            f"{'part of the pack':<40} {'wall s':>8} {'CPU s':>8}   (medians of {arguments.runs}; load "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        for name, function in parts(database, Path(work) / "pack", config).items():
            wall, cpu = timed(function, arguments.runs)
            print(f"{name:<40} {wall:8.2f} {cpu:8.2f}")


if __name__ == "__main__":
    main()
